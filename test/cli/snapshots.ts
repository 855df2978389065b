// Fact snapshots for spawned-CLI tests, written to a temp dir. They are the shared healthy test world
// (test/helpers/facts.ts) with one fact changed per outcome class, so each class is produced by the
// real rules: sg-ingress (pass; fail when 100.104.128.0/17 is not admitted; error when the security
// groups could not be read) and link-present (warn when no link exists yet).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Facts } from '../../src/facts/types.js';
import { group, makeFacts, ok, perm } from '../helpers/facts.js';

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
  return makeFacts((f) => {
    if (o === 'fail') f.cloud.gitlabSecurityGroups = ok([group('sg-gitlab', [perm({ ruleId: 'sgr-acr', policy: 'accept', sourceCidrIp: '100.104.0.0/17' })])]);
    if (o === 'warn') {
      f.cloud.managedSecurityGroups = ok([]);
      f.cloud.managedEnis = ok([]);
    }
    if (o === 'error') f.cloud.gitlabSecurityGroups = timedOut('ecs:DescribeSecurityGroupAttribute', f.collectedAt);
  });
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
acr: { instanceId: cri-test, namespace: team, repository: app }
vpc: { vpcId: vpc-test, vSwitchId: vsw-link }
gitlab: { endpoint: https://192.168.1.10, username: builder, token: env:GITLAB_TOKEN, project: group/app }
`;
