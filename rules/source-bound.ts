// source-bound: the image repository is bound to the GitLab project, type GITLAB, OverseaBuild off.
// Absent is a warning (provision binds it); bound wrongly is a failure.
import type { Rule, RuleOutcome } from '../src/engine/types.js';

export function splitProject(path: string): { namespace: string; name: string } {
  const i = path.lastIndexOf('/');
  return { namespace: path.slice(0, i), name: path.slice(i + 1) };
}

export const rule: Rule = {
  id: 'source-bound',
  title: 'Repository is bound to the GitLab project for VPC builds',
  severity: 'warning',
  description: 'The ACR repository must be bound to the GitLab project (CodeRepoType GITLAB) with "Build With Servers Deployed Outside Chinese Mainland" (OverseaBuild) off, which VPC builds require.',
  needs: ['cloud.repository', 'cloud.sourceBinding'],
  messages: {
    ok: 'Repository {{repo}} is bound to GitLab project {{project}}, OverseaBuild off.',
    noRepo: 'Repository {{repo}} does not exist yet — `acr-preflight provision` will create and bind it.',
    notBound: 'Repository {{repo}} is not bound to a source yet — `acr-preflight provision` will bind it to {{project}}.',
    wrongType: 'Repository {{repo}} is bound to a {{type}} source, not GITLAB.',
    wrongProject: 'Repository {{repo}} is bound to {{actual}}, not to {{project}}.',
    oversea: 'Repository {{repo}} builds with servers outside the Chinese mainland (OverseaBuild on), which VPC builds do not support.',
    noRepoConfigured: 'acr.namespace and acr.repository are not configured; nothing to check.',
  },
  remediation: {
    bind: 'Run `acr-preflight provision`, or bind in the console: repository {{repo}} → Build → Code Source → GitLab project {{project}}.',
    rebind: 'Rebind repository {{repo}} to GitLab project {{project}}: `aliyun cr UpdateRepoSourceCodeRepo --InstanceId {{instance}} --RepoId {{repoId}} --CodeRepoType GITLAB --CodeRepoNamespaceName {{ns}} --CodeRepoName {{name}} --OverseaBuild false` (provision does this).',
  },
  check(ctx): RuleOutcome {
    const i = ctx.facts.input;
    if (!i.acr.namespace || !i.acr.repository) return { status: 'skip', messageId: 'noRepoConfigured', data: {} };
    const { namespace, name } = splitProject(i.gitlab.project);
    const base = { repo: `${i.acr.namespace}/${i.acr.repository}`, project: i.gitlab.project, instance: i.acr.instanceId, ns: namespace, name };
    const repo = ctx.need(ctx.facts.cloud.repository, 'ACR repository');
    if (!repo) return { status: 'warn', messageId: 'noRepo', data: base, remediationId: 'bind' };
    const binding = ctx.need(ctx.facts.cloud.sourceBinding, 'repository source binding');
    const data = { ...base, repoId: repo.repoId };
    if (!binding) return { status: 'warn', messageId: 'notBound', data, remediationId: 'bind' };
    const evidence = [{ label: 'binding', value: binding, source: ctx.facts.cloud.sourceBinding.source }];
    if (binding.codeRepoType.toUpperCase() !== 'GITLAB') return { status: 'fail', messageId: 'wrongType', data: { ...data, type: binding.codeRepoType }, evidence, remediationId: 'rebind' };
    // GitLab resolves project paths case-insensitively
    if (binding.codeRepoNamespaceName.toLowerCase() !== namespace.toLowerCase() || binding.codeRepoName.toLowerCase() !== name.toLowerCase()) {
      return { status: 'fail', messageId: 'wrongProject', data: { ...data, actual: `${binding.codeRepoNamespaceName}/${binding.codeRepoName}` }, evidence, remediationId: 'rebind' };
    }
    if (binding.overseaBuild) return { status: 'fail', messageId: 'oversea', data, evidence, remediationId: 'rebind' };
    return { status: 'pass', messageId: 'ok', data, evidence };
  },
};
