// acr-instance: the ACR EE instance exists, is RUNNING, and lives in the configured region. The cr
// endpoint is regional (cr.<region>.aliyuncs.com) and GetInstance's answer names no region: an
// instance of another region is not found at this region's endpoint (notFound names the region).
import type { Rule, RuleOutcome } from '../src/engine/types.js';

export const rule: Rule = {
  id: 'acr-instance',
  title: 'ACR EE instance exists, is running, in the region',
  severity: 'error',
  description: 'The Container Registry Enterprise Edition instance named by acr.instanceId must exist in the configured region and be RUNNING before a VPC build can be set up.',
  needs: ['cloud.acrInstance'],
  messages: {
    ok: 'Instance {{instanceId}} ({{name}}, {{spec}}) is RUNNING in {{region}}.',
    notFound: 'Instance {{instanceId}} does not exist in {{region}} ({{detail}}).',
    notRunning: 'Instance {{instanceId}} is {{status}}, not RUNNING.',
  },
  remediation: {
    fix: 'Check acr.instanceId and region in preflight.yaml against the ACR console (Instances list), e.g. `aliyun cr ListInstance --RegionId {{region}}`.',
    wait: 'Wait until the instance is RUNNING (Container Registry console → Instances); if it stays {{status}}, open a ticket with the instance id.',
  },
  check(ctx): RuleOutcome {
    const f = ctx.facts.cloud.acrInstance;
    const base = { instanceId: ctx.facts.input.acr.instanceId, region: ctx.facts.input.region };
    if (f.state === 'unavailable' && f.reason === 'not-found') {
      return { status: 'fail', messageId: 'notFound', data: { ...base, detail: f.code ?? f.message }, remediationId: 'fix' };
    }
    const inst = ctx.need(f, 'ACR instance');
    const evidence = [{ label: 'instance', value: inst, source: f.source }];
    if (inst.status.toUpperCase() !== 'RUNNING') {
      return { status: 'fail', messageId: 'notRunning', data: { ...base, status: inst.status }, evidence, remediationId: 'wait' };
    }
    return { status: 'pass', messageId: 'ok', data: { ...base, name: inst.instanceName ?? '-', spec: inst.specification ?? '-' }, evidence };
  },
};
