// Pseudonymisation keeps meaning: host names become stable tokens that agree everywhere (endpoint,
// certificate names, clone URL, probes), so gitlab-tls and gitlab-clone-url judge the same; loopback
// and link-local stay what they are; certificate identities are hashed; the manifest names kinds only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RULES } from '../../rules/index.js';
import { runRules } from '../../src/engine/runner.js';
import { makeBundle, makePseudonymizer, redactBundle } from '../../src/facts/bundle.js';
import type { Facts } from '../../src/facts/types.js';
import { makeFacts, NOW } from '../helpers/facts.js';

const key = Buffer.alloc(32, 3);
const collection = {
  configFile: 'preflight.yaml',
  flags: { failOn: 'fail' as const, noProbes: false, noWaivers: false },
  waivers: [{ rule: 'gitlab-clone-url', reason: 'moving gitlab.corp.example', owner: 'ops', expires: '2027-01-31' }],
  verdict: { verdict: 'pass' as const, exitCode: 0, summary: { pass: 15, warn: 0, fail: 0, skip: 0, error: 0, waived: 0 }, judgedAt: NOW.toISOString(), results: [] },
};

/** GitLab by name: https://GitLab.Corp.Example:8443, certificate and clone URL as given */
function named(opts: { san: string[]; cloneHost: string; hostnameMatches: boolean; authorizationError?: string }): Facts {
  return makeFacts((f) => {
    const g = f.input.gitlab;
    Object.assign(g, { endpoint: 'https://GitLab.Corp.Example:8443', host: 'GitLab.Corp.Example', port: 8443 });
    f.gitlab.addresses = { ...f.gitlab.addresses, value: ['192.168.1.10'] } as any;
    const tls = (f.gitlab.tls as any).value;
    Object.assign(tls, { subject: `CN=${opts.san[0]}`, issuer: 'CN=Corp Root CA, O=corp.example', subjectAltNames: opts.san.map((s) => `DNS:${s}`), hostnameMatches: opts.hostnameMatches, authorized: !opts.authorizationError, fingerprint256: '12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0:12:34:56:78:9A:BC:DE:F0', serialNumber: '0A1B2C3D' });
    if (opts.authorizationError) tls.authorizationError = opts.authorizationError;
    (f.gitlab.project as any).value.httpUrlToRepo = `https://${opts.cloneHost}/group/app.git`;
    (f.gitlab.probeLocal as any).value.url = 'https://gitlab.corp.example:8443/api/v4/version';
    (f.gitlab.probeLocal as any).value.dialed = '127.0.0.1:8443';
  });
}

const verdicts = (facts: Facts) => runRules(facts, { rules: RULES, now: NOW }).results.map((r) => `${r.ruleId}:${r.status}:${r.messageId}`);

for (const [name, facts] of [
  ['name matches everywhere', named({ san: ['gitlab.corp.example', 'www.corp.example'], cloneHost: 'gitlab.corp.example:8443', hostnameMatches: true })],
  ['certificate for another name', named({ san: ['other.corp.example'], cloneHost: 'gitlab.corp.example:8443', hostnameMatches: false, authorizationError: 'ERR_TLS_CERT_ALTNAME_INVALID' })],
  ['external_url names another host', named({ san: ['gitlab.corp.example'], cloneHost: 'gitlab.internal.example', hostnameMatches: true })],
  ['single-label external_url', named({ san: ['gitlab.corp.example'], cloneHost: 'gitlab:8443', hostnameMatches: true })],
] as const) {
  test(`pseudonymised host names keep every verdict: ${name}`, () => {
    const b = makeBundle(facts, [], { secrets: {}, pseudonymize: true, key, collection });
    const text = JSON.stringify(b);
    for (const original of ['corp.example', 'Corp.Example', 'internal.example', '12:34:56:78', '0A1B2C3D', 'Corp Root CA', '192.168.1.10']) {
      assert.ok(!text.includes(original), `${original} is gone`);
    }
    assert.deepEqual(verdicts(b.facts), verdicts(facts));
    const g = b.facts.input.gitlab;
    assert.match(g.host, /^host-\d+\.example$/);
    assert.equal(g.endpoint, `https://${g.host}:8443`, 'the endpoint and its host agree');
    assert.ok((b.facts.gitlab.tls as any).value.subjectAltNames.every((s: string) => /^DNS:host-\d+\.example$/.test(s)));
    assert.equal((b.facts.gitlab.probeLocal as any).value.dialed, '127.0.0.1:8443', 'loopback stays loopback');
    assert.match((b.facts.gitlab.tls as any).value.fingerprint256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/, 'a fingerprint keeps its shape');
    assert.match(b.waivers[0]!.reason, /^moving host-\d+\.example$/, 'names in recorded waivers too');
    assert.match(JSON.stringify(b.redaction.replaced), /host names/);
  });
}

test('the same name gets the same token, different names different tokens, case-insensitively', () => {
  const facts = named({ san: ['gitlab.corp.example'], cloneHost: 'GITLAB.CORP.EXAMPLE:8443', hostnameMatches: true });
  const b = makeBundle(facts, [], { secrets: {}, pseudonymize: true, key, collection });
  const host = b.facts.input.gitlab.host;
  assert.equal((b.facts.gitlab.project as any).value.httpUrlToRepo, `https://${host}:8443/group/app.git`);
  assert.equal((b.facts.gitlab.tls as any).value.subjectAltNames[0], `DNS:${host}`);
  assert.notEqual((b.facts.gitlab.tls as any).value.issuer, (b.facts.gitlab.tls as any).value.subject);
  // source strings that merely contain a single-label word are not touched
  assert.equal(b.facts.gitlab.project.source, 'gitlab:GET /api/v4/projects/:id');
});

test('loopback and 100.64.0.0/10 are kept; link-local stays link-local', () => {
  const p = makePseudonymizer(key);
  for (const a of ['127.0.0.1', '127.3.4.5', '100.104.0.1', '100.127.255.254']) assert.equal(p(a), a);
  for (const a of ['169.254.0.1', '169.254.100.200']) assert.match(p(a), /^169\.254\./);
});

test('redact re-pseudonymises a bundle: the manifest names kinds, never the originals', () => {
  const facts = named({ san: ['gitlab.corp.example'], cloneHost: 'gitlab.corp.example:8443', hostnameMatches: true });
  const plain = makeBundle(facts, [{ product: 'ecs', action: 'DescribeInstances', params: { PrivateIpAddresses: '["192.168.1.10"]', Authorization: 'x' }, ok: true, ms: 1 }], { secrets: {}, collection });
  assert.equal(plain.redaction.pseudonymized, false);
  assert.equal(plain.calls[0]!.params.Authorization, '[REDACTED]');
  const again = redactBundle(plain, { pseudonymize: true, key });
  assert.equal(again.redaction.pseudonymized, true);
  assert.deepEqual(verdicts(again.facts), verdicts(facts));
  assert.equal(again.verdict, plain.verdict);
  const manifest = JSON.stringify(again.redaction);
  for (const original of ['corp.example', '192.168.1.10', '12:34:56']) assert.ok(!manifest.includes(original));
  assert.ok(!JSON.stringify(again).includes('192.168.1.10'));
  assert.ok(again.redaction.replaced!.every((k) => typeof k.kind === 'string' && k.count > 0));
});
