import assert from 'node:assert/strict';
import { rule } from '../../rules/sg-ingress.js';
import { group, makeFacts, makeSlbFacts, ok, perm, unavailable } from '../helpers/facts.js';
import { ruleTester } from '../helpers/rule-tester.js';

const withGroups = (...groups: ReturnType<typeof group>[]) =>
  makeFacts((f) => {
    f.cloud.gitlabSecurityGroups = ok(groups);
    f.cloud.gitlabEnis = ok([{ ...(f.cloud.gitlabEnis as any).value[0], securityGroupIds: groups.map((g) => g.securityGroupId) }]);
  });

ruleTester(rule, [
  { name: 'accept 100.104.0.0/16 on 443', facts: makeFacts(), status: 'pass', messageId: 'admitted' },
  {
    name: 'accept 0.0.0.0/0 covers the range',
    facts: withGroups(group('sg-a', [perm({ policy: 'accept', sourceCidrIp: '0.0.0.0/0' })])),
    status: 'pass',
    messageId: 'admitted',
  },
  {
    name: 'partial coverage names the uncovered half',
    facts: withGroups(group('sg-a', [perm({ policy: 'accept', sourceCidrIp: '100.104.0.0/17' })])),
    status: 'fail',
    messageId: 'notAdmitted',
    data: { uncovered: '100.104.128.0/17', port: 443, share: '50%' },
    check: (r) => {
      const fix = r.fixes?.[0];
      assert.equal(fix?.proof?.state, 'verified');
      assert.deepEqual(fix?.calls?.map((c) => c.action), ['AuthorizeSecurityGroup']);
      assert.equal(fix?.calls?.[0]?.params['Permissions.1.SourceCidrIp'], '100.104.0.0/16');
      assert.equal(fix?.calls?.[0]?.params['Permissions.1.Policy'], 'accept');
      assert.equal(fix?.calls?.[0]?.params.SourceCidrIp, undefined, 'not the deprecated top-level parameter');
    },
  },
  {
    name: 'drop beats accept at equal priority across groups',
    facts: withGroups(
      group('sg-a', [perm({ ruleId: 'sgr-acc', policy: 'accept', priority: 5, sourceCidrIp: '100.104.0.0/16' })]),
      group('sg-b', [perm({ ruleId: 'sgr-drop', policy: 'drop', priority: 5, sourceCidrIp: '100.104.128.0/17' })]),
    ),
    status: 'fail',
    messageId: 'notAdmitted',
    data: { uncovered: '100.104.128.0/17' },
    check: (r) => assert.match(String(r.data.decider), /sg-b rule sgr-drop: drop/),
  },
  {
    name: 'accept at a lower priority number beats a drop',
    facts: withGroups(
      group('sg-a', [perm({ policy: 'accept', priority: 1, sourceCidrIp: '100.104.0.0/16' })]),
      group('sg-b', [perm({ policy: 'drop', priority: 2, sourceCidrIp: '100.104.0.0/16' })]),
    ),
    status: 'pass',
    messageId: 'admitted',
  },
  {
    name: 'drop at priority 1 cannot be outranked: the fix removes it (the accept is there), proven',
    facts: withGroups(
      group('sg-a', [
        perm({ policy: 'accept', priority: 1, sourceCidrIp: '100.104.0.0/16' }),
        perm({ ruleId: 'sgr-x', policy: 'drop', priority: 1, sourceCidrIp: '100.104.0.0/24' }),
      ]),
    ),
    status: 'fail',
    messageId: 'notAdmitted',
    data: { uncovered: '100.104.0.0/24', dropRule: 'sgr-x' },
    check: (r) => {
      assert.match(r.remediation, /RevokeSecurityGroup/);
      const fix = r.fixes?.[0];
      // the accept for the whole range is already there: removing the drop is the whole fix
      assert.deepEqual(fix?.patches.map((p) => p.op), ['remove-sg-rule']);
      assert.deepEqual(fix?.calls?.map((c) => c.action), ['RevokeSecurityGroup']);
      assert.equal(fix?.calls?.[0]?.params['SecurityGroupRuleId.1'], 'sgr-x');
      assert.equal(fix?.proof?.state, 'verified');
    },
  },
  {
    name: 'UDP-only rule does not admit TCP',
    facts: withGroups(group('sg-a', [perm({ policy: 'accept', ipProtocol: 'UDP', sourceCidrIp: '100.104.0.0/16' })])),
    status: 'fail',
    messageId: 'notAdmitted',
    data: { uncovered: '100.104.0.0/16', decider: 'no rule matches (default deny)' },
  },
  {
    name: 'wrong port',
    facts: withGroups(group('sg-a', [perm({ policy: 'accept', portRange: '80/80', sourceCidrIp: '100.104.0.0/16' })])),
    status: 'fail',
    messageId: 'notAdmitted',
  },
  {
    name: 'numeric protocol 6 is TCP',
    facts: withGroups(group('sg-a', [perm({ policy: 'accept', ipProtocol: '6', sourceCidrIp: '100.104.0.0/16' })])),
    status: 'pass',
    messageId: 'admitted',
  },
  {
    name: 'ALL with -1/-1 covers every port',
    facts: withGroups(group('sg-a', [perm({ policy: 'accept', ipProtocol: 'ALL', portRange: '-1/-1', sourceCidrIp: '100.104.0.0/16' })])),
    status: 'pass',
    messageId: 'admitted',
  },
  {
    name: 'prefix list entries are expanded',
    facts: (() => {
      const f = withGroups(group('sg-a', [perm({ policy: 'accept', sourcePrefixListId: 'pl-acr' })]));
      f.cloud.prefixLists = ok([{ prefixListId: 'pl-acr', addressFamily: 'IPv4', entries: ['100.104.0.0/17', '100.104.128.0/17'] }]);
      return f;
    })(),
    status: 'pass',
    messageId: 'admitted',
  },
  {
    name: 'prefix list covering half',
    facts: (() => {
      const f = withGroups(group('sg-a', [perm({ policy: 'accept', sourcePrefixListId: 'pl-acr' })]));
      f.cloud.prefixLists = ok([{ prefixListId: 'pl-acr', addressFamily: 'IPv4', entries: ['100.104.0.0/17'] }]);
      return f;
    })(),
    status: 'fail',
    messageId: 'notAdmitted',
    data: { uncovered: '100.104.128.0/17' },
  },
  {
    name: 'unreadable prefix list is an error, not a verdict',
    facts: withGroups(group('sg-a', [perm({ policy: 'accept', sourcePrefixListId: 'pl-gone' })])),
    status: 'error',
    messageId: 'prefixListMissing',
    data: { prefixLists: 'pl-gone' },
  },
  {
    name: 'enterprise group with no rules denies by default',
    facts: withGroups(group('sg-e', [], { type: 'enterprise' })),
    status: 'fail',
    messageId: 'notAdmitted',
    data: { uncovered: '100.104.0.0/16' },
  },
  {
    name: 'group-to-group rules never admit the builder',
    facts: withGroups(group('sg-a', [perm({ policy: 'accept', sourceGroupId: 'sg-other' })])),
    status: 'fail',
    messageId: 'notAdmitted',
  },
  {
    name: 'sshPort is checked too',
    facts: makeFacts((f) => {
      f.input.gitlab.sshPort = 22;
    }),
    status: 'fail',
    messageId: 'notAdmitted',
    data: { port: 22 },
  },
  {
    name: 'a managed group is never the fix target',
    facts: withGroups(
      group('sg-m', [], { serviceManaged: true }),
      group('sg-user', [perm({ policy: 'accept', sourceCidrIp: '100.104.0.0/17' })]),
    ),
    status: 'fail',
    messageId: 'notAdmitted',
    data: { targetGroup: 'sg-user' },
  },
  {
    name: 'permission denied names the RAM action',
    facts: makeFacts((f) => {
      f.cloud.gitlabSecurityGroups = unavailable('forbidden', 'Forbidden.RAM', { ramAction: 'ecs:DescribeSecurityGroupAttribute' });
    }),
    status: 'error',
    messageId: '$forbidden',
    data: { ramAction: 'ecs:DescribeSecurityGroupAttribute' },
  },
  { name: 'skipped on the SLB path', facts: makeSlbFacts(), status: 'skip', messageId: '$notApplicable' },
  {
    name: 'quintuple: an accept for another destination address does not admit GitLab',
    facts: withGroups(group('sg-a', [perm({ policy: 'accept', sourceCidrIp: '100.104.0.0/16', destCidrIp: '192.168.1.99/32' })])),
    status: 'fail',
    messageId: 'notAdmitted',
    data: { uncovered: '100.104.0.0/16', decider: 'no rule matches (default deny)' },
  },
  {
    name: 'quintuple: a drop aimed at another host does not block GitLab',
    facts: withGroups(
      group('sg-a', [
        perm({ policy: 'drop', priority: 1, sourceCidrIp: '100.104.0.0/16', destCidrIp: '192.168.1.99/32' }),
        perm({ policy: 'accept', priority: 2, sourceCidrIp: '100.104.0.0/16', destCidrIp: '192.168.1.0/24' }),
      ]),
    ),
    status: 'pass',
    messageId: 'admitted',
  },
  {
    name: 'quintuple: an accept limited to some source ports admits nothing reliably',
    facts: withGroups(group('sg-a', [perm({ policy: 'accept', sourceCidrIp: '100.104.0.0/16', sourcePortRange: '1024/2048' })])),
    status: 'fail',
    messageId: 'notAdmitted',
    data: { uncovered: '100.104.0.0/16' },
  },
  {
    name: 'quintuple: a drop limited to some source ports still drops connections',
    facts: withGroups(
      group('sg-a', [
        perm({ ruleId: 'sgr-sp', policy: 'drop', priority: 1, sourceCidrIp: '100.104.0.0/17', sourcePortRange: '40000/50000' }),
        perm({ policy: 'accept', priority: 2, sourceCidrIp: '100.104.0.0/16' }),
      ]),
    ),
    status: 'fail',
    messageId: 'notAdmitted',
    data: { uncovered: '100.104.0.0/17', dropRule: 'sgr-sp' },
    check: (r) => assert.match(String(r.data.decider), /source ports 40000\/50000/),
  },
  {
    name: 'quintuple: an accept whose source ports cover the ephemeral range 1024-65535 admits',
    facts: withGroups(group('sg-a', [perm({ policy: 'accept', sourceCidrIp: '100.104.0.0/16', sourcePortRange: '1024/65535' })])),
    status: 'pass',
    messageId: 'admitted',
  },
  {
    name: 'quintuple: a drop limited to source ports outside the ephemeral range decides nothing',
    facts: withGroups(
      group('sg-a', [
        perm({ ruleId: 'sgr-low', policy: 'drop', priority: 1, sourceCidrIp: '100.104.0.0/16', sourcePortRange: '1/1023' }),
        perm({ policy: 'accept', priority: 2, sourceCidrIp: '100.104.0.0/16' }),
      ]),
    ),
    status: 'pass',
    messageId: 'admitted',
  },
  {
    name: 'quintuple: a drop reaching into the ephemeral range still decides',
    facts: withGroups(
      group('sg-a', [
        perm({ ruleId: 'sgr-edge', policy: 'drop', priority: 1, sourceCidrIp: '100.104.0.0/16', sourcePortRange: '1/1024' }),
        perm({ policy: 'accept', priority: 2, sourceCidrIp: '100.104.0.0/16' }),
      ]),
    ),
    status: 'fail',
    messageId: 'notAdmitted',
    data: { dropRule: 'sgr-edge' },
  },
  {
    name: 'quintuple: source ports -1/-1 are all ports',
    facts: withGroups(group('sg-a', [perm({ policy: 'accept', sourceCidrIp: '100.104.0.0/16', sourcePortRange: '-1/-1' })])),
    status: 'pass',
    messageId: 'admitted',
  },
  {
    name: 'a rule whose ports are a port list that decides part of the range is undecidable',
    facts: withGroups(group('sg-a', [perm({ policy: 'accept', sourceCidrIp: '100.104.0.0/16', portRange: '', portRangeListId: 'prl-web' })])),
    status: 'error',
    messageId: 'portListUnread',
    data: { portLists: 'prl-web', port: 443 },
  },
  {
    name: 'a port-list rule below a deciding rule does not matter',
    facts: withGroups(
      group('sg-a', [
        perm({ policy: 'accept', priority: 1, sourceCidrIp: '100.104.0.0/16' }),
        perm({ policy: 'drop', priority: 5, sourceCidrIp: '100.104.0.0/16', portRange: '-1/-1', portRangeListId: 'prl-web' }),
      ]),
    ),
    status: 'pass',
    messageId: 'admitted',
  },
  {
    name: 'a malformed policy never admits (fail closed)',
    facts: withGroups(group('sg-a', [perm({ policy: 'Drop' as any, sourceCidrIp: '100.104.0.0/16' })])),
    status: 'fail',
    messageId: 'notAdmitted',
    data: { uncovered: '100.104.0.0/16' },
  },
  {
    name: 'a group of the interface missing from the facts is undecidable, not judged on the others',
    facts: makeFacts((f) => {
      f.cloud.gitlabEnis = ok([{ ...(f.cloud.gitlabEnis as any).value[0], securityGroupIds: ['sg-gitlab', 'sg-unread'] }]);
      f.cloud.gitlabSecurityGroups = ok([group('sg-gitlab', [perm({ policy: 'accept', sourceCidrIp: '100.104.0.0/16' })])]);
    }),
    status: 'error',
    messageId: 'groupsMissing',
    data: { missing: 'sg-unread' },
  },
  {
    name: 'each denied sub-range names what decided it, and every failing port is named',
    facts: makeFacts((f) => {
      f.input.gitlab.sshPort = 22;
      f.cloud.gitlabEnis = ok([{ ...(f.cloud.gitlabEnis as any).value[0], securityGroupIds: ['sg-a'] }]);
      f.cloud.gitlabSecurityGroups = ok([
        group('sg-a', [
          perm({ ruleId: 'sgr-d', policy: 'drop', priority: 1, sourceCidrIp: '100.104.0.0/24' }),
          perm({ policy: 'accept', priority: 2, sourceCidrIp: '100.104.0.0/17' }),
        ]),
      ]);
    }),
    status: 'fail',
    messageId: 'notAdmitted',
    data: { port: 443, ports: '443, 22', uncovered: '100.104.0.0/24, 100.104.128.0/17' },
    check: (r) => {
      assert.match(String(r.data.deciders), /100\.104\.0\.0\/24 dropped by sg-a rule sgr-d/);
      assert.match(String(r.data.deciders), /100\.104\.128\.0\/17 matched by no rule \(default deny\)/);
      assert.match(r.message, /Not admitted on tcp\/22 either/);
    },
  },
]);
