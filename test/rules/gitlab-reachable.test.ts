import { rule } from '../../rules/gitlab-reachable.js';
import type { HttpProbe } from '../../src/facts/types.js';
import { makeFacts, ok, unavailable } from '../helpers/facts.js';
import { ruleTester } from '../helpers/rule-tester.js';

const probe = (p: Partial<HttpProbe>, vantage = 'local'): HttpProbe => ({ vantage, url: 'https://192.168.1.10/api/v4/version', dialed: '127.0.0.1:8443', outcome: 'connected', httpStatus: 200, timing: { totalMs: 5 }, ...p });
const local = (p: Partial<HttpProbe>) => makeFacts((f) => { f.gitlab.probeLocal = ok(probe(p)); });
ruleTester(rule, [
  { name: 'answers 200, jump half skipped with a hint', facts: makeFacts(), status: 'pass', messageId: 'ok', check: (r) => { if (!JSON.stringify(r.evidence).includes('probe.jumpHost')) throw new Error('hint missing'); } },
  { name: '401 still proves reachability', facts: local({ httpStatus: 401 }), status: 'pass', messageId: 'ok' },
  { name: 'server error warns', facts: local({ httpStatus: 502 }), status: 'warn', messageId: 'serverError' },
  { name: 'refused', facts: local({ outcome: 'refused', httpStatus: undefined, error: 'ECONNREFUSED' }), status: 'fail', messageId: 'refused' },
  { name: 'timeout', facts: local({ outcome: 'timeout', httpStatus: undefined, error: 'ETIMEDOUT' }), status: 'fail', messageId: 'timeout' },
  { name: 'dns failed', facts: local({ outcome: 'dns-failed', httpStatus: undefined, error: 'ENOTFOUND' }), status: 'fail', messageId: 'dnsFailed' },
  { name: 'tls failed points to gitlab-tls', facts: local({ outcome: 'tls-failed', httpStatus: undefined, error: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }), status: 'fail', messageId: 'tlsFailed' },
  { name: 'jump host also reaches it', facts: makeFacts((f) => { f.gitlab.probeJump = ok(probe({}, 'jump:ops@192.168.1.20')); }), status: 'pass', messageId: 'ok' },
  { name: 'jump host cannot reach it', facts: makeFacts((f) => { f.gitlab.probeJump = ok(probe({ outcome: 'timeout', httpStatus: undefined, error: 'ETIMEDOUT' }, 'jump:ops@192.168.1.20')); }), status: 'fail', messageId: 'jumpFailed', data: { outcome: 'timeout' } },
  { name: 'probes disabled skip with the hint', facts: makeFacts((f) => { f.gitlab.probeLocal = unavailable('not-configured', 'probes disabled', { hint: 'run without --no-probes' }); }), status: 'skip', messageId: '$notConfigured' },
]);
