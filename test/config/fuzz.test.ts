// Property fuzzing of the config parser and validator: whatever the input, the only thing that may
// escape is a one-line ConfigError — never another exception, never a hang.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseConfigText } from '../../src/config/load.js';
import { validateConfig } from '../../src/config/validate.js';
import { collectOverrides, applyOverrides } from '../../src/config/overrides.js';
import { ConfigError } from '../../src/errors.js';

function onlyConfigErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    // one line, or a count followed by one line per problem
    const [head, ...rest] = e.line().split('\n');
    if (rest.length) {
      assert.match(head!, /^the config has \d+ problems:$/, e.line());
      for (const l of rest) assert.match(l, /^ {2}(- \S|… and \d+ more$)/, e.line());
    }
  }
}

const VALID = {
  region: 'cn-hangzhou',
  acr: { instanceId: 'cri-abc123' },
  vpc: { vpcId: 'vpc-abc123', vSwitchId: 'vsw-abc123' },
  gitlab: { endpoint: 'https://192.168.1.10', username: 'builder', token: 'env:T', project: 'g/a' },
};

test('fuzz: arbitrary text through the parser and validator', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme-composite' })), (text) => {
      onlyConfigErrors(() => {
        const { raw, locate } = parseConfigText(text, 'fuzz.yaml');
        validateConfig(raw, { locate, now: new Date(0) });
      });
    }),
    { numRuns: 1500 },
  );
});

test('fuzz: YAML-looking text built from config keys and YAML syntax', () => {
  const tok = fc.constantFrom(
    'region', 'acr', 'gitlab', 'token', 'endpoint', 'waivers', 'datacenter', 'cidrs', 'probe', 'connectTo', ':', ': ', '\n', '  ', '- ',
    '[', ']', '{', '}', ',', '&a ', '*a', '!!binary ', '"', "'", '#', '---\n', '? ', '|', '>', 'env:X', 'file:', '10.0.0.0/8', 'https://h',
    '<<: ', '__proto__', 'constructor', 'null', '~', '1e999', '-1', '0x10', 'true',
  );
  fc.assert(
    fc.property(fc.array(tok, { maxLength: 60 }), (parts) => {
      onlyConfigErrors(() => {
        const { raw, locate } = parseConfigText(parts.join(''), 'fuzz.yaml');
        validateConfig(raw, { locate });
      });
    }),
    { numRuns: 3000 },
  );
});

test('fuzz: arbitrary JSON values, and mutations of a valid config', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (v) => {
      onlyConfigErrors(() => validateConfig(v));
      onlyConfigErrors(() => validateConfig({ ...VALID, gitlab: { ...VALID.gitlab, endpoint: v } }));
      onlyConfigErrors(() => validateConfig({ ...VALID, datacenter: v }));
      onlyConfigErrors(() => validateConfig({ ...VALID, probe: { connectTo: v } }));
      onlyConfigErrors(() => validateConfig({ ...VALID, waivers: [v] }));
      onlyConfigErrors(() => validateConfig({ ...VALID, zones: v }));
    }),
    { numRuns: 1500 },
  );
});

test('fuzz: arbitrary ACR_PREFLIGHT_* values', () => {
  const names = fc.constantFrom('ACR_PREFLIGHT_REGION', 'ACR_PREFLIGHT_WAIVERS', 'ACR_PREFLIGHT_DATACENTER_CIDRS', 'ACR_PREFLIGHT_PROBE_CONNECT_TO', 'ACR_PREFLIGHT_GITLAB_SSH_PORT', 'ACR_PREFLIGHT_ZONES', 'ACR_PREFLIGHT_BUILD_RULES');
  fc.assert(
    fc.property(fc.dictionary(names, fc.string()), (env) => {
      onlyConfigErrors(() => {
        const { overrides } = collectOverrides(env, {});
        validateConfig(applyOverrides({ ...VALID }, overrides));
      });
    }),
    { numRuns: 1500 },
  );
});

test('fuzz: a valid config stays valid whatever the order of its keys', () => {
  fc.assert(
    fc.property(fc.shuffledSubarray(Object.keys(VALID), { minLength: 4, maxLength: 4 }), (keys) => {
      const shuffled = Object.fromEntries(keys.map((k) => [k, VALID[k as keyof typeof VALID]]));
      assert.deepEqual(validateConfig(shuffled).config, VALID);
    }),
    { numRuns: 50 },
  );
});
