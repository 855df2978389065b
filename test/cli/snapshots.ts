// Fact snapshots for spawned-CLI tests, written to a temp dir. They are built from the reporter
// test scenario (test/report/fixtures.ts) with one fact changed per outcome class, so each class
// is produced by the real rules: acr-instance (pass, or error when its fact timed out),
// link-present (warn when no link exists yet), sg-ingress (fail when 100.104.128.0/17 is not admitted).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Facts } from '../../src/facts/types.js';
import { scenarioFacts } from '../report/fixtures.js';

export type Outcome = 'pass' | 'warn' | 'fail' | 'error';

/** The rule each outcome class is observed on. */
export const OUTCOME_RULE: Record<Outcome, string> = {
  pass: 'acr-instance',
  warn: 'link-present',
  fail: 'sg-ingress',
  error: 'acr-instance',
};

export function outcomeFacts(o: Outcome): Facts {
  const f = scenarioFacts({ sgAdmits: o !== 'fail', tls: true, tokenTimeout: false, linked: o !== 'warn' });
  if (o === 'error') {
    f.cloud.acrInstance = { state: 'unavailable', reason: 'timeout', message: 'no answer within 10000 ms', source: 'cr:GetInstance', at: f.collectedAt };
  }
  return f;
}

export class TempDir {
  readonly path = mkdtempSync(join(tmpdir(), 'acr-preflight-cli-'));
  write(name: string, content: unknown): string {
    const p = join(this.path, name);
    writeFileSync(p, typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content, null, 2));
    return p;
  }
  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

export const CONFIG = `region: cn-hangzhou
acr: { instanceId: cri-demo1234, namespace: team, repository: app }
vpc: { vpcId: vpc-bp1demo, vSwitchId: vsw-bp1build }
gitlab: { endpoint: https://192.168.1.10, username: builder, token: env:GITLAB_TOKEN, project: group/app }
`;
