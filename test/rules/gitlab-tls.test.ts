import { rule } from '../../rules/gitlab-tls.js';
import type { TlsInfo } from '../../src/facts/types.js';
import { makeFacts, ok } from '../helpers/facts.js';
import { ruleTester } from '../helpers/rule-tester.js';

const cert = (x: Partial<TlsInfo>) => makeFacts((f) => { f.gitlab.tls = ok({ ...(f.gitlab.tls as any).value, ...x }); });
ruleTester(rule, [
  { name: 'trusted, matching, a year left', facts: makeFacts(), status: 'pass', messageId: 'ok' },
  { name: 'plain http warns', facts: makeFacts((f) => { f.input.gitlab.scheme = 'http'; f.input.gitlab.port = 80; f.gitlab.tls = ok(null); }), status: 'warn', messageId: 'plainHttp' },
  { name: 'private CA without caFile', facts: cert({ authorized: false, authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', caFileUsed: false }), status: 'fail', messageId: 'untrustedCa', check: (r) => { if (!r.remediation.includes('caFile')) throw new Error(r.remediation); } },
  { name: 'self-signed', facts: cert({ authorized: false, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), status: 'fail', messageId: 'untrustedCa' },
  { name: 'expired', facts: cert({ authorized: false, authorizationError: 'CERT_HAS_EXPIRED', validTo: '2026-01-01T00:00:00.000Z' }), status: 'fail', messageId: 'expired' },
  { name: 'wrong host name', facts: cert({ hostnameMatches: false, subjectAltNames: ['DNS:other.example.com'] }), status: 'fail', messageId: 'hostnameMismatch', data: { names: 'DNS:other.example.com' } },
  { name: 'expires in 10 days', facts: cert({ validTo: '2026-12-08T12:00:00.000Z' }), status: 'warn', messageId: 'expiring', data: { days: 10 } },
  { name: 'expires in 31 days passes', facts: cert({ validTo: '2026-12-29T13:00:00.000Z' }), status: 'pass', messageId: 'ok' },
]);
