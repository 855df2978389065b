// Fact snapshots for spawned-CLI tests, written to a temp dir. They are built from the reporter
// test scenario (test/report/fixtures.ts) with one fact changed per outcome class, so each class
// is produced by the real rules: sg-ingress (pass; fail when 100.104.128.0/17 is not admitted; error
// when the security groups could not be read) and link-present (warn when no link exists yet).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Facts } from '../../src/facts/types.js';
import { scenarioFacts } from '../report/fixtures.js';

export type Outcome = 'pass' | 'warn' | 'fail' | 'error';

/** The rule each outcome class is observed on. */
export const OUTCOME_RULE: Record<Outcome, string> = {
  pass: 'sg-ingress',
  warn: 'link-present',
  fail: 'sg-ingress',
  error: 'sg-ingress',
};

const timedOut = (source: string, at: string) => ({ state: 'unavailable' as const, reason: 'timeout' as const, message: 'no answer within 10000 ms', source, at });

export function outcomeFacts(o: Outcome): Facts {
  const f = scenarioFacts({ sgAdmits: o !== 'fail', tls: true, tokenTimeout: false, linked: o !== 'warn' });
  if (o === 'error') f.cloud.gitlabSecurityGroups = timedOut('ecs:DescribeSecurityGroupAttribute', f.collectedAt);
  return f;
}

/** The outcome's facts plus nacl-ingress undecided (its network ACL could not be read). */
export function withNaclError(o: Outcome): Facts {
  const f = outcomeFacts(o);
  f.cloud.gitlabNetworkAcl = timedOut('vpc:DescribeNetworkAclAttributes', f.collectedAt);
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
