import assert from 'node:assert/strict';
import { rule } from '../../rules/nacl-ingress.js';
import type { NaclEntry } from '../../src/facts/types.js';
import { acl, makeFacts, makeIdcFacts, ok } from '../helpers/facts.js';
import { ruleTester } from '../helpers/rule-tester.js';

const e = (policy: 'accept' | 'drop', cidr: string, port = '-1/-1', protocol = 'all', entryId?: string): NaclEntry => ({ policy, cidr, port, protocol, ...(entryId ? { entryId } : {}) });
const withAcl = (ingress: NaclEntry[], egress: NaclEntry[]) =>
  makeFacts((f) => {
    f.cloud.gitlabNetworkAcl = ok(acl(ingress, egress));
  });
const allowAll = [e('accept', '0.0.0.0/0')];

ruleTester(rule, [
  { name: 'no ACL bound', facts: makeFacts(), status: 'pass', messageId: 'noAcl' },
  { name: 'accept all both ways', facts: withAcl(allowAll, allowAll), status: 'pass', messageId: 'admitted' },
  {
    name: 'specific accepts both ways',
    facts: withAcl([e('accept', '100.104.0.0/16', '443/443', 'tcp')], [e('accept', '100.104.0.0/16', '1/65535', 'tcp')]),
    status: 'pass',
    messageId: 'admitted',
  },
  {
    name: 'request dropped by an earlier entry (first match wins)',
    facts: withAcl([e('drop', '100.104.0.0/17', '-1/-1', 'all', 'nae-1'), e('accept', '0.0.0.0/0')], allowAll),
    status: 'fail',
    messageId: 'requestBlocked',
    data: { ranges: '100.104.0.0/17', port: 443 },
  },
  {
    name: 'a later drop does not matter after an accept',
    facts: withAcl([e('accept', '0.0.0.0/0'), e('drop', '100.104.0.0/16')], allowAll),
    status: 'pass',
    messageId: 'admitted',
  },
  {
    name: 'request on the wrong port falls through to the implicit drop',
    facts: withAcl([e('accept', '100.104.0.0/16', '80/80', 'tcp')], allowAll),
    status: 'fail',
    messageId: 'requestBlocked',
    data: { ranges: '100.104.0.0/16' },
    check: (r) => assert.match(String(r.data.decider), /implicit drop/),
  },
  {
    name: 'udp-only entry does not admit tcp',
    facts: withAcl([e('accept', '100.104.0.0/16', '443/443', 'udp')], allowAll),
    status: 'fail',
    messageId: 'requestBlocked',
  },
  {
    name: 'reply direction blocked (stateless)',
    facts: withAcl(allowAll, [e('accept', '192.168.0.0/16')]),
    status: 'fail',
    messageId: 'replyBlocked',
    data: { ranges: '100.104.0.0/16' },
  },
  {
    name: 'reply allowed only to port 443 covers none of the ephemeral replies',
    facts: withAcl(allowAll, [e('accept', '100.104.0.0/16', '443/443', 'tcp')]),
    status: 'fail',
    messageId: 'replyBlocked',
  },
  {
    name: 'reply dropped for half of the range',
    facts: withAcl(allowAll, [e('drop', '100.104.128.0/17'), e('accept', '0.0.0.0/0')]),
    status: 'fail',
    messageId: 'replyBlocked',
    data: { ranges: '100.104.128.0/17' },
  },
  {
    name: 'reply accept for part of the ephemeral ports is not enough',
    facts: withAcl(allowAll, [e('accept', '100.104.0.0/16', '1024/30000', 'tcp')]),
    status: 'fail',
    messageId: 'replyBlocked',
  },
  { name: 'skipped on the IDC path', facts: makeIdcFacts(), status: 'skip', messageId: '$notApplicable' },
]);
