import { rule } from '../../rules/gitlab-reachable.js';
import type { HttpProbe } from '../../src/facts/types.js';
import { makeFacts, ok, unavailable } from '../helpers/facts.js';
import { ruleTester } from '../helpers/rule-tester.js';

const JUMP = 'jump:ops@192.168.1.20';
const probe = (p: Partial<HttpProbe>, vantage = 'local'): HttpProbe => ({ vantage, url: 'https://192.168.1.10/api/v4/version', dialed: '127.0.0.1:8443', outcome: 'connected', httpStatus: 200, timing: { totalMs: 5 }, ...p });
const local = (p: Partial<HttpProbe>) => makeFacts((f) => { f.gitlab.probeLocal = ok(probe(p)); });
const down = (outcome: HttpProbe['outcome'], error: string) => local({ outcome, httpStatus: undefined, error });
const evidenceHas = (needle: string) => (r: { evidence: unknown[] }) => { if (!JSON.stringify(r.evidence).includes(needle)) throw new Error(`evidence lacks ${needle}`); };

ruleTester(rule, [
  { name: 'answers 200, jump half skipped with a hint', facts: makeFacts(), status: 'pass', messageId: 'ok', data: { version: '16.11.2', status: 200, dialed: '127.0.0.1:8443' }, check: (r) => { evidenceHas('jump-host half skipped')(r); evidenceHas('probe.jumpHost')(r); evidenceHas('first byte 5 ms')(r); } },
  { name: '401 still proves reachability', facts: local({ httpStatus: 401, gitlabVersion: undefined }), status: 'pass', messageId: 'ok', data: { status: 401, version: '(version hidden)' } },
  { name: 'server error warns', facts: local({ httpStatus: 502 }), status: 'warn', messageId: 'serverError', data: { status: 502, vantage: 'local' } },
  { name: 'refused', facts: down('refused', 'ECONNREFUSED'), status: 'fail', messageId: 'refused', data: { dialed: '127.0.0.1:8443' } },
  { name: 'timeout', facts: down('timeout', 'ETIMEDOUT'), status: 'fail', messageId: 'timeout', data: { error: 'ETIMEDOUT' } },
  { name: 'accepted but silent is a hanging service, not a dropping network', facts: local({ outcome: 'timeout', httpStatus: undefined, error: 'no HTTP answer within 5000 ms', timing: { connectMs: 2, totalMs: 5002 } }), status: 'fail', messageId: 'silent', check: (r) => { if (!/accepted the TCP connection/.test(r.message) || /firewall or route drops/.test(r.message) || !/gitlab-ctl status/.test(r.remediation)) throw new Error(`${r.message} | ${r.remediation}`); } },
  { name: 'the endpoint is named first, the connectTo address as how it was dialled', facts: down('refused', 'ECONNREFUSED'), status: 'fail', messageId: 'refused', data: { target: '192.168.1.10:443', via: ' (dialled as 127.0.0.1:8443 via probe.connectTo)' }, check: (r) => { if (!r.remediation.includes('listens on 192.168.1.10:443')) throw new Error(r.remediation); } },
  { name: 'dns failed', facts: down('dns-failed', 'ENOTFOUND'), status: 'fail', messageId: 'dnsFailed', check: (r) => { if (!r.remediation.includes('PrivateZone')) throw new Error(r.remediation); } },
  { name: 'tls failed points to gitlab-tls', facts: down('tls-failed', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'), status: 'fail', messageId: 'tlsFailed', check: (r) => { if (!r.remediation.includes('gitlab-tls')) throw new Error(r.remediation); } },
  { name: 'auth failed', facts: down('auth-failed', 'proxy 407'), status: 'fail', messageId: 'authFailed', data: { error: 'proxy 407' } },
  { name: 'other probe error', facts: down('error', 'ECONNRESET'), status: 'fail', messageId: 'probeError', data: { error: 'ECONNRESET' } },
  { name: 'jump host also reaches it', facts: makeFacts((f) => { f.gitlab.probeJump = ok(probe({}, JUMP)); }), status: 'pass', messageId: 'ok', check: evidenceHas(JUMP) },
  { name: 'jump host cannot reach it', facts: makeFacts((f) => { f.gitlab.probeJump = ok(probe({ outcome: 'timeout', httpStatus: undefined, error: 'ETIMEDOUT' }, JUMP)); }), status: 'fail', messageId: 'jumpFailed', data: { outcome: 'timeout', vantage: JUMP } },
  { name: 'jump failure outranks a 5xx from here', facts: makeFacts((f) => { f.gitlab.probeLocal = ok(probe({ httpStatus: 503 })); f.gitlab.probeJump = ok(probe({ outcome: 'refused', httpStatus: undefined, error: 'ECONNREFUSED' }, JUMP)); }), status: 'fail', messageId: 'jumpFailed', data: { outcome: 'refused' } },
  { name: 'jump host sees a 5xx', facts: makeFacts((f) => { f.gitlab.probeJump = ok(probe({ httpStatus: 500 }, JUMP)); }), status: 'warn', messageId: 'serverError', data: { vantage: JUMP, status: 500 } },
  { name: 'jump probe could not run is undecided', facts: makeFacts((f) => { f.gitlab.probeJump = unavailable('probe-failed', 'ssh: host key mismatch'); }), status: 'error', messageId: 'jumpUnavailable', data: { reason: 'ssh: host key mismatch' } },
  { name: 'probes disabled skip with the hint', facts: makeFacts((f) => { f.gitlab.probeLocal = unavailable('not-configured', 'probes disabled', { hint: 'run without --no-probes' }); }), status: 'skip', messageId: '$notConfigured' },
]);
