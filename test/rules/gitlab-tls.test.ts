import assert from 'node:assert/strict';
import { rule } from '../../rules/gitlab-tls.js';
import type { Available, TlsInfo } from '../../src/facts/types.js';
import { makeFacts, ok, unavailable } from '../helpers/facts.js';
import { ruleTester } from '../helpers/rule-tester.js';

const cert = (x: Partial<TlsInfo>) => makeFacts((f) => { f.gitlab.tls = ok({ ...(f.gitlab.tls as Available<TlsInfo>).value, ...x }); });
ruleTester(rule, [
  { name: 'trusted, matching, a year left', facts: makeFacts(), status: 'pass', messageId: 'ok', data: { issuer: 'CN=Test Root CA', validTo: '2027-11-01' }, check: (r) => { if (!JSON.stringify(r.evidence).includes('AA:BB')) throw new Error('fingerprint missing'); } },
  { name: 'plain http warns', facts: makeFacts((f) => { f.input.gitlab.scheme = 'http'; f.input.gitlab.endpoint = 'http://192.168.1.10'; f.input.gitlab.port = 80; f.gitlab.tls = ok(null); }), status: 'warn', messageId: 'plainHttp', data: { endpoint: 'http://192.168.1.10' } },
  { name: 'https but no certificate seen is undecided', facts: makeFacts((f) => { f.gitlab.tls = ok(null); }), status: 'error', messageId: '$unavailable' },
  { name: 'handshake never happened is undecided', facts: makeFacts((f) => { f.gitlab.tls = unavailable('probe-failed', 'ECONNREFUSED'); }), status: 'error', messageId: '$unavailable' },
  { name: 'private CA without caFile', facts: cert({ authorized: false, authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', caFileUsed: false }), status: 'fail', messageId: 'untrustedCa', check: (r) => { if (!r.remediation.includes('caFile')) throw new Error(r.remediation); } },
  { name: 'self-signed', facts: cert({ authorized: false, authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT', caFileUsed: false }), status: 'fail', messageId: 'untrustedCa', data: { error: 'DEPTH_ZERO_SELF_SIGNED_CERT' } },
  { name: 'self-signed root in chain', facts: cert({ authorized: false, authorizationError: 'SELF_SIGNED_CERT_IN_CHAIN', caFileUsed: false }), status: 'fail', messageId: 'untrustedCa' },
  { name: 'caFile configured but unreadable names the file, not the CA', facts: makeFacts((f) => { f.input.gitlab.caFile = true; f.gitlab.tls = ok({ ...(f.gitlab.tls as Available<TlsInfo>).value, authorized: false, authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', caFileUsed: false }); }), status: 'fail', messageId: 'caFileUnread', check: (r) => { if (!r.remediation.includes('path in gitlab.caFile')) throw new Error(r.remediation); } },
  { name: 'caFile set but from another CA', facts: cert({ authorized: false, authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', caFileUsed: true, issuer: 'CN=Other CA' }), status: 'fail', messageId: 'caFileMismatch', data: { issuer: 'CN=Other CA' } },
  { name: 'revoked or other verification error', facts: cert({ authorized: false, authorizationError: 'CERT_REVOKED' }), status: 'fail', messageId: 'untrusted', data: { error: 'CERT_REVOKED' } },
  { name: 'expired', facts: cert({ authorized: false, authorizationError: 'CERT_HAS_EXPIRED', validTo: '2026-01-01T00:00:00.000Z' }), status: 'fail', messageId: 'expired', data: { validTo: '2026-01-01' } },
  { name: 'expired by the clock even if trusted', facts: cert({ validTo: '2026-11-27T00:00:00.000Z' }), status: 'fail', messageId: 'expired' },
  { name: 'wrong host name', facts: cert({ hostnameMatches: false, subjectAltNames: ['DNS:other.example.com'] }), status: 'fail', messageId: 'hostnameMismatch', data: { names: 'DNS:other.example.com', host: '192.168.1.10' } },
  { name: 'altname error code is a name mismatch', facts: cert({ authorized: false, authorizationError: 'ERR_TLS_CERT_ALTNAME_INVALID', hostnameMatches: false, subjectAltNames: [] , subject: 'CN=gitlab.example.com' }), status: 'fail', messageId: 'hostnameMismatch', data: { names: 'CN=gitlab.example.com' } },
  { name: 'expires in 4.7 days: said without truncation', facts: cert({ validTo: '2026-12-03T04:48:00.000Z' }), status: 'warn', messageId: 'expiring', data: { left: '4 days 16 hours' }, check: (r) => assert.match(r.message, /, in 4 days 16 hours\.$/) },
  { name: 'expires in 10 days', facts: cert({ validTo: '2026-12-08T12:00:00.000Z' }), status: 'warn', messageId: 'expiring', data: { days: 10 } },
  { name: 'expires in 31 days passes', facts: cert({ validTo: '2026-12-29T13:00:00.000Z' }), status: 'pass', messageId: 'ok', data: { days: 31 } },
]);
