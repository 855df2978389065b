// Steps "namespace", "repository" and "bind". The namespace and repository are created through the
// API when missing. The repository's source binding is API (CreateRepoSourceCodeRepo /
// UpdateRepoSourceCodeRepo), but it only works once a GitLab account is bound on the instance —
// "Bind Account" has no public API (docs/alibaba-api.md). No API shows a bound account either, so the
// account is verified by the binding call succeeding: when it fails because no account is bound,
// the person is guided through "Bind Account" and the call is retried with backoff until it succeeds.
import type { Config } from '../../config/types.js';
import { ProvisionError } from '../../errors.js';
import type { ProvisionRuntime } from '../context.js';
import { readSource, sourceDiff, splitProject, type CrState, type SourceState } from '../state.js';
import type { ApiCall, GuidedAction, PlanStep } from '../types.js';
import { call, errorCode, Waiter } from '../util.js';
import { cannotWaitError } from './link.js';

export const BIND_CONSOLE_PATH = 'ACR console → Instances → <instance> → Repositories → Code Source → GitLab → Bind Account';
export const REPO_ID = '<RepoId from step repository>';

/** "env:GITLAB_TOKEN" → words that tell the person where the token is, without showing it. */
export function describeSecretRef(ref: string): string {
  if (ref.startsWith('env:')) return `the value of the environment variable ${ref.slice(4)} (${ref})`;
  if (ref.startsWith('file:')) return `the content of the file ${ref.slice(5)} (${ref})`;
  return `the secret ${ref}`;
}

export function bindGuide(config: Config): GuidedAction {
  const path = BIND_CONSOLE_PATH.replace('<instance>', config.acr.instanceId);
  return {
    title: 'Bind the GitLab account ("Bind Account") in the ACR console',
    consolePath: path,
    values: [
      { label: 'Code source', value: 'GitLab (private network, through the build link)' },
      { label: 'Endpoint', value: config.gitlab.endpoint },
      { label: 'Username', value: config.gitlab.username },
      { label: 'Private token', value: `paste ${describeSecretRef(config.gitlab.token)} — not shown here` },
      { label: 'VPC', value: config.vpc.vpcId },
    ],
    instructions: [`Open ${path}.`, 'Enter the endpoint and username below, paste the token (it needs the `api` scope), and confirm.'],
    verify: `CreateRepoSourceCodeRepo succeeds for ${config.gitlab.project}, then GetRepoSourceCodeRepo shows the binding`,
  };
}

export function planNamespace(config: Config, cr: CrState): PlanStep {
  const ns = config.acr.namespace!;
  const base = { id: 'namespace', phase: 'bind' as const, title: `Namespace ${ns}` };
  if (cr.namespaceExists) return { ...base, kind: 'done', why: 'the namespace exists', calls: [], notes: [] };
  return {
    ...base,
    kind: 'api',
    why: `acr.namespace ${ns} does not exist on ${config.acr.instanceId}`,
    calls: [{ product: 'cr', action: 'CreateNamespace', params: { InstanceId: config.acr.instanceId, NamespaceName: ns, AutoCreateRepo: false, DefaultRepoType: 'PRIVATE' } }],
    notes: [],
  };
}

export function repositoryCall(config: Config): ApiCall {
  return {
    product: 'cr',
    action: 'CreateRepository',
    params: {
      InstanceId: config.acr.instanceId,
      RepoNamespaceName: config.acr.namespace!,
      RepoName: config.acr.repository!,
      RepoType: 'PRIVATE',
      Summary: `built from GitLab ${config.gitlab.project} (created by acr-preflight)`,
    },
  };
}

export function planRepository(config: Config, cr: CrState): PlanStep {
  const name = `${config.acr.namespace}/${config.acr.repository}`;
  const base = { id: 'repository', phase: 'bind' as const, title: `Repository ${name}` };
  if (cr.repoId) return { ...base, kind: 'done', why: `the repository exists (${cr.repoId})`, calls: [], notes: [] };
  return { ...base, kind: 'api', why: `acr.repository ${name} does not exist`, calls: [repositoryCall(config)], notes: ['the new RepoId is used by the steps below'] };
}

export function sourceParams(config: Config, repoId: string): ApiCall['params'] {
  const p = splitProject(config.gitlab.project);
  return {
    InstanceId: config.acr.instanceId,
    RepoId: repoId,
    CodeRepoType: 'GITLAB',
    CodeRepoNamespaceName: p.namespace,
    CodeRepoName: p.name,
    OverseaBuild: false,
  };
}

export function planBind(config: Config, cr: CrState): PlanStep {
  const repoId = cr.repoId ?? REPO_ID;
  const base = { id: 'bind', phase: 'bind' as const, title: `Bind ${config.acr.namespace}/${config.acr.repository} to GitLab ${config.gitlab.project}` };
  const verify: ApiCall = { product: 'cr', action: 'GetRepoSourceCodeRepo', params: { InstanceId: config.acr.instanceId, RepoId: repoId } };
  if (cr.source) {
    const diff = sourceDiff(cr.source, config.gitlab.project);
    if (!diff.length) {
      return { ...base, kind: 'done', why: 'the repository is bound to the project (GITLAB, OverseaBuild off); the GitLab account is therefore bound', calls: [], notes: [describeSource(cr.source)] };
    }
    // a binding exists, so an account is bound: update it (UpdateRepoSourceCodeRepo types the flags as strings)
    const params = { ...sourceParams(config, repoId), OverseaBuild: 'false' };
    return {
      ...base,
      kind: 'api',
      why: `the repository is bound differently: ${diff.join('; ')}`,
      calls: [{ product: 'cr', action: 'UpdateRepoSourceCodeRepo', params }, verify],
      notes: [`now: ${describeSource(cr.source)}`],
    };
  }
  return {
    ...base,
    kind: 'verify',
    why: 'the repository has no source binding; no API shows whether a GitLab account is bound, so the binding call itself is the test',
    calls: [{ product: 'cr', action: 'CreateRepoSourceCodeRepo', params: sourceParams(config, repoId) }, verify],
    guided: bindGuide(config),
    notes: ['if CreateRepoSourceCodeRepo answers that no GitLab account is bound: "Bind Account" with the values above, then the call is retried with backoff until it succeeds (--wait-timeout)'],
  };
}

export function describeSource(s: SourceState): string {
  return `${s.codeRepoType} ${s.codeRepoNamespaceName}/${s.codeRepoName}${s.codeRepoDomain ? ` at ${s.codeRepoDomain}` : ''}, OverseaBuild ${s.overseaBuild ? 'on' : 'off'}`;
}

export async function runNamespace(rt: ProvisionRuntime, step: PlanStep): Promise<void> {
  if (step.kind === 'done') return;
  const c = step.calls[0]!;
  await rt.journal.around('create-namespace', rt.config.acr.namespace!, c.params, async () => {
    try {
      await call(rt.api, c.product, c.action, c.params, rt.signal);
    } catch (err) {
      if (errorCode(err) !== 'NAMESPACE_ALREADY_EXIST') throw err; // made meanwhile: fine
    }
  });
}

export async function runRepository(rt: ProvisionRuntime, step: PlanStep, repoId: string | null): Promise<string> {
  if (step.kind === 'done' && repoId) return repoId;
  const c = step.calls[0]!;
  const inst = rt.config.acr.instanceId;
  const key = `${rt.config.acr.namespace}/${rt.config.acr.repository}`;
  return rt.journal.around(
    'create-repository',
    key,
    c.params,
    async () => {
      const r = await call(rt.api, c.product, c.action, c.params, rt.signal);
      if (r.RepoId) return String(r.RepoId);
      const g = await call(rt.api, 'cr', 'GetRepository', { InstanceId: inst, RepoNamespaceName: rt.config.acr.namespace, RepoName: rt.config.acr.repository }, rt.signal);
      return String(g.RepoId);
    },
    (id) => ({ RepoId: id }),
  );
}

/** Errors of CreateRepoSourceCodeRepo that no console step fixes. Anything else may mean "no account bound (yet)". */
const FATAL_BIND = /^(NoPrivilege|Forbidden.*|INSTANCE_NOT_EXIST|REPO_NOT_EXIST|NAMESPACE_NOT_EXIST|InvalidParameter.*|MissingParameter.*|InvalidAccessKeyId.*|SignatureDoesNotMatch|InvalidSecurityToken.*)$/;

function fill(params: ApiCall['params'], repoId: string): ApiCall['params'] {
  return { ...params, RepoId: repoId };
}

export async function runBind(rt: ProvisionRuntime, step: PlanStep, repoId: string): Promise<SourceState> {
  const inst = rt.config.acr.instanceId;
  const project = rt.config.gitlab.project;
  if (step.kind === 'done') {
    const s = await readSource(rt.api, inst, repoId, rt.signal);
    if (s && !sourceDiff(s, project).length) {
      rt.emit({ type: 'provision-verified', stepId: 'bind', message: `binding verified: ${describeSource(s)}` });
      return s;
    }
    throw new ProvisionError('ERR_BIND_CHANGED', `bind: the binding changed since the plan was made (${s ? describeSource(s) : 'none'})`, { hint: 'run provision again' });
  }
  const first = step.calls[0]!;
  const params = fill(first.params, repoId);
  const attempt = () => rt.journal.around('bind-source', 'source', { action: first.action, ...params }, () => call(rt.api, 'cr', first.action, params, rt.signal));
  if (first.action === 'UpdateRepoSourceCodeRepo') {
    await attempt();
  } else {
    try {
      await attempt();
    } catch (err) {
      const code = errorCode(err);
      if (code === 'REPO_SOURCE_ALREADY_EXIST') {
        // bound meanwhile: verification below decides
      } else if (FATAL_BIND.test(code)) {
        throw err;
      } else {
        await waitForAccount(rt, step, attempt, err);
      }
    }
  }
  const s = await readSource(rt.api, inst, repoId, rt.signal);
  const diff = s ? sourceDiff(s, project) : ['no binding'];
  if (!s || diff.length) {
    throw new ProvisionError('ERR_BIND_VERIFY', `bind: GetRepoSourceCodeRepo does not show the wanted binding (${diff.join('; ')})`, { hint: 'check the Code Source page of the repository in the console' });
  }
  rt.emit({ type: 'provision-verified', stepId: 'bind', message: `account and binding verified: ${describeSource(s)}` });
  return s;
}

async function waitForAccount(rt: ProvisionRuntime, step: PlanStep, attempt: () => Promise<unknown>, firstErr: unknown): Promise<void> {
  const guide = step.guided ?? bindGuide(rt.config);
  const why = (firstErr as Error).message;
  rt.emit({
    type: 'provision-guided',
    prompt: {
      stepId: 'bind',
      title: guide.title,
      instructions: [`CreateRepoSourceCodeRepo answered: ${why}`, ...guide.instructions, `Waiting until the binding succeeds (${Math.round(rt.options.waitTimeoutMs / 1000)} s) — Ctrl-C stops; run provision again later.`],
      values: guide.values,
    },
  });
  if (!rt.options.canWait) throw cannotWaitError('bind', guide);
  rt.emit({ type: 'provision-step', stepId: 'bind', state: 'waiting', note: 'waiting for "Bind Account"' });
  const b = rt.journal.begin('guided-bind', 'account', { endpoint: rt.config.gitlab.endpoint, username: rt.config.gitlab.username });
  const deadline = rt.now() + rt.options.waitTimeoutMs;
  const waiter = new Waiter(rt.options.guidedPoll);
  let last = why;
  try {
    for (;;) {
      const left = deadline - rt.now();
      if (left <= 0) {
        rt.journal.end(b, false, { error: `timed out: ${last}` });
        throw new ProvisionError('ERR_GUIDED_TIMEOUT', `bind: the GitLab account was not bound within ${Math.round(rt.options.waitTimeoutMs / 1000)} s (last answer: ${last})`, {
          hint: 'finish "Bind Account" in the console, then run provision again (nothing is redone)',
        });
      }
      await rt.sleep(waiter.next(left), rt.signal);
      try {
        await attempt();
        rt.journal.end(b, true);
        return;
      } catch (err) {
        const code = errorCode(err);
        if (code === 'REPO_SOURCE_ALREADY_EXIST') {
          rt.journal.end(b, true);
          return;
        }
        if (FATAL_BIND.test(code)) {
          rt.journal.end(b, false, { error: (err as Error).message });
          throw err;
        }
        if ((err as Error).message !== last) {
          last = (err as Error).message;
          rt.emit({ type: 'provision-step', stepId: 'bind', state: 'waiting', note: last });
        }
      }
    }
  } catch (err) {
    if (isAbortLike(err)) rt.journal.end(b, false, { error: 'interrupted while waiting' });
    throw err;
  }
}

function isAbortLike(err: unknown): boolean {
  const e = err as { name?: string; code?: string };
  return e?.name === 'AbortError' || e?.code === 'ABORT_ERR';
}
