// Named fact scenarios: the healthy path of each access path and the common failures. They are
// written to fixtures/facts/*.json by scripts/gen-fact-fixtures.ts and analysed by the CLI tests.
import type { Facts } from '../../src/facts/types.js';
import { acl, group, makeFacts, makeIdcFacts, makeSlbFacts, ok, perm, healthyLoadBalancer } from './facts.js';

export interface Scenario {
  name: string;
  facts: () => Facts;
  verdict: 'pass' | 'fail' | 'incomplete';
  /** the rule the scenario is about and its expected status */
  key: [ruleId: string, status: string];
}

export const SCENARIOS: Scenario[] = [
  { name: 'healthy-ecs', facts: () => makeFacts(), verdict: 'pass', key: ['sg-ingress', 'pass'] },
  { name: 'healthy-slb', facts: () => makeSlbFacts(), verdict: 'pass', key: ['slb-listener', 'pass'] },
  { name: 'healthy-idc', facts: () => makeIdcFacts(), verdict: 'pass', key: ['vbr-return-route', 'pass'] },
  {
    name: 'sg-partial-drop',
    facts: () =>
      makeFacts((f) => {
        f.cloud.gitlabSecurityGroups = ok([
          group('sg-gitlab', [perm({ ruleId: 'sgr-acr', policy: 'accept', priority: 10, sourceCidrIp: '100.104.0.0/16' })]),
          group('sg-baseline', [perm({ ruleId: 'sgr-block', policy: 'drop', priority: 5, ipProtocol: 'ALL', portRange: '-1/-1', sourceCidrIp: '100.104.128.0/17' })]),
        ]);
        f.cloud.gitlabEnis = ok([{ ...(f.cloud.gitlabEnis as any).value[0], securityGroupIds: ['sg-gitlab', 'sg-baseline'] }]);
      }),
    verdict: 'fail',
    key: ['sg-ingress', 'fail'],
  },
  {
    name: 'nacl-reply-blocked',
    facts: () =>
      makeFacts((f) => {
        f.cloud.gitlabNetworkAcl = ok(acl([{ policy: 'accept', protocol: 'all', port: '-1/-1', cidr: '0.0.0.0/0' }], [{ policy: 'accept', protocol: 'all', port: '-1/-1', cidr: '192.168.0.0/16' }]));
      }),
    verdict: 'fail',
    key: ['nacl-ingress', 'fail'],
  },
  {
    name: 'slb-whitelist-missing',
    facts: () =>
      makeSlbFacts((f) => {
        f.cloud.loadBalancers = ok([healthyLoadBalancer({ listeners: [{ listenerPort: 443, listenerProtocol: 'tcp', status: 'running', aclStatus: 'on', aclType: 'white', aclId: 'acl-office' }], acls: [{ aclId: 'acl-office', entries: ['192.168.0.0/16'] }] })]);
      }),
    verdict: 'fail',
    key: ['slb-listener', 'fail'],
  },
  {
    name: 'idc-route-back-to-idc',
    facts: () =>
      makeIdcFacts((f) => {
        f.cloud.vbrRouteEntries = ok([
          { destinationCidrBlock: '10.20.0.0/16', status: 'Available', type: 'Custom', nextHops: [{ nextHopType: 'VirtualBorderRouter', nextHopId: 'ri-vbr-vlan' }] },
          { destinationCidrBlock: '0.0.0.0/0', status: 'Available', type: 'Custom', nextHops: [{ nextHopType: 'VirtualBorderRouter', nextHopId: 'ri-vbr-vlan' }] },
        ]);
      }),
    verdict: 'fail',
    key: ['vbr-return-route', 'fail'],
  },
  {
    name: 'token-no-api-scope',
    facts: () =>
      makeFacts((f) => {
        f.gitlab.token = ok({ ...(f.gitlab.token as any).value, scopes: ['read_api', 'read_repository'] });
      }),
    verdict: 'fail',
    key: ['gitlab-token', 'fail'],
  },
  {
    name: 'fresh-unlinked',
    facts: () =>
      makeFacts((f) => {
        f.cloud.managedSecurityGroups = ok([]);
        f.cloud.managedEnis = ok([]);
        f.cloud.repository = ok(null);
        f.cloud.sourceBinding = ok(null);
      }),
    verdict: 'pass',
    key: ['link-present', 'warn'],
  },
  {
    name: 'forbidden-sg',
    facts: () =>
      makeFacts((f) => {
        f.cloud.gitlabSecurityGroups = { state: 'unavailable', reason: 'forbidden', message: 'Forbidden.RAM: User not authorized to operate on the specified resource.', code: 'Forbidden.RAM', ramAction: 'ecs:DescribeSecurityGroupAttribute', source: 'ecs:DescribeSecurityGroupAttribute', at: f.collectedAt };
      }),
    verdict: 'incomplete',
    key: ['sg-ingress', 'error'],
  },
];
