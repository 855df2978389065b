// `acr-preflight analyze bundle.json`: evaluate a saved fact snapshot (or a support bundle whose
// `facts` field holds one) offline, with the same rules, gate and reports as `check`.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { RULES } from '../../rules/index.js';
import { loadConfig } from '../config/load.js';
import type { LoadedConfig } from '../config/types.js';
import { runRules } from '../engine/runner.js';
import { loadZoneTable, withOverrides } from '../engine/zones.js';
import { InputError, UsageError } from '../errors.js';
import type { Facts } from '../facts/types.js';
import { factsSchemaProblem } from '../facts/schema.js';
import type { CommandContext } from './context.js';
import { gateRunOptions, parseGateOptions } from './gate-options.js';
import { parseOutputPlan, writeOutputs } from './output.js';

/** Largest bundle we read. */
export const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;

const FACT_KEYS = {
  cloud: [
    'acrInstance', 'vpc', 'linkVSwitch', 'vSwitches', 'gitlabEnis', 'gitlabSecurityGroups', 'prefixLists', 'gitlabVSwitch',
    'gitlabNetworkAcl', 'loadBalancers', 'vbr', 'vbrRouteEntries', 'bgpPeers', 'bgpNetworks', 'managedSecurityGroups',
    'managedEnis', 'repository', 'sourceBinding',
  ],
  gitlab: ['addresses', 'probeLocal', 'probeJump', 'tls', 'token', 'user', 'project', 'gitDiscovery'],
  hosts: ['gitlabHost', 'idcRouter'],
} as const;
const LIST_FACTS = new Set([
  'vSwitches', 'gitlabEnis', 'gitlabSecurityGroups', 'prefixLists', 'loadBalancers', 'vbrRouteEntries', 'bgpPeers', 'bgpNetworks',
  'managedSecurityGroups', 'managedEnis', 'addresses',
]);
const NULLABLE_FACTS = new Set(['gitlabNetworkAcl', 'repository', 'sourceBinding', 'tls']);
const REASONS = new Set(['not-configured', 'not-applicable', 'forbidden', 'not-found', 'timeout', 'api-error', 'probe-failed', 'error']);

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Check a parsed snapshot's shape; returns the first problem as "path: problem", or undefined. */
export function snapshotProblem(f: unknown): string | undefined {
  if (!isObj(f)) return 'expected a JSON object holding a fact snapshot';
  if (f.schemaVersion !== 1) return `schemaVersion: unsupported ${JSON.stringify(f.schemaVersion) ?? 'missing'} (this acr-preflight reads 1)`;
  if (typeof f.collectedAt !== 'string') return 'collectedAt: missing (expected an ISO time)';
  const input = f.input;
  if (!isObj(input)) return 'input: missing';
  if (typeof input.region !== 'string') return 'input.region: missing';
  if (!isObj(input.acr) || typeof input.acr.instanceId !== 'string') return 'input.acr.instanceId: missing';
  if (!isObj(input.vpc) || typeof input.vpc.vpcId !== 'string' || typeof input.vpc.vSwitchId !== 'string') return 'input.vpc: expected vpcId and vSwitchId';
  const g = input.gitlab;
  if (!isObj(g)) return 'input.gitlab: missing';
  for (const k of ['endpoint', 'host', 'username', 'project']) if (typeof g[k] !== 'string') return `input.gitlab.${k}: expected a string`;
  if (typeof g.port !== 'number' || !Number.isInteger(g.port)) return 'input.gitlab.port: expected an integer';
  if (g.scheme !== 'http' && g.scheme !== 'https') return 'input.gitlab.scheme: expected http or https';
  if (!Array.isArray(input.extraEndpoints)) return 'input.extraEndpoints: expected a list';
  if (input.datacenter !== undefined && (!isObj(input.datacenter) || !Array.isArray(input.datacenter.cidrs))) return 'input.datacenter.cidrs: expected a list';
  for (const [group, keys] of Object.entries(FACT_KEYS)) {
    const grp = f[group];
    if (!isObj(grp)) return `${group}: missing`;
    for (const k of keys) {
      const fact = grp[k];
      const at = `${group}.${k}`;
      if (!isObj(fact)) return `${at}: missing`;
      if (fact.state === 'ok') {
        const v = fact.value;
        if (LIST_FACTS.has(k) ? !Array.isArray(v) : NULLABLE_FACTS.has(k) ? v !== null && !isObj(v) : !isObj(v)) {
          return `${at}.value: expected ${LIST_FACTS.has(k) ? 'a list' : NULLABLE_FACTS.has(k) ? 'an object or null' : 'an object'}`;
        }
      } else if (fact.state === 'unavailable') {
        if (typeof fact.reason !== 'string' || !REASONS.has(fact.reason)) return `${at}.reason: expected one of ${[...REASONS].join(', ')}`;
        if (typeof fact.message !== 'string') return `${at}.message: expected a string`;
      } else {
        return `${at}.state: expected "ok" or "unavailable"`;
      }
    }
  }
  return undefined;
}

/** Read a fact snapshot or a support bundle (its `facts` field). Throws InputError (one line). */
export function loadSnapshot(path: string, cwd: string): Facts {
  const abs = resolve(cwd, path);
  let size: number;
  try {
    const st = statSync(abs);
    if (!st.isFile()) throw new InputError(`${path}: not a regular file`);
    size = st.size;
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`${path}: cannot read the bundle (${code === 'ENOENT' ? 'not found' : code ?? 'error'})`, 'pass a bundle written by `acr-preflight collect --out`');
  }
  if (size > MAX_BUNDLE_BYTES) throw new InputError(`${path}: ${size} bytes is over the ${MAX_BUNDLE_BYTES}-byte limit for a bundle`);
  let buf: Buffer;
  try {
    buf = readFileSync(abs);
  } catch (err) {
    throw new InputError(`${path}: cannot read the bundle (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new InputError(`${path}: not a JSON bundle (binary data)`, 'pass a bundle written by `acr-preflight collect --out`');
  }
  if (text.includes('\u0000')) throw new InputError(`${path}: not a JSON bundle (binary data)`, 'pass a bundle written by `acr-preflight collect --out`');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const msg = (err as Error).message.split('\n')[0]!;
    throw new InputError(`${path}: not valid JSON (${msg})`, 'pass a bundle written by `acr-preflight collect --out`');
  }
  const isBundle = isObj(parsed) && isObj(parsed.facts);
  const version = isBundle ? (parsed as Record<string, unknown>).bundleVersion : undefined;
  if (version !== undefined && version !== 1) {
    throw new InputError(`${path}: bundleVersion ${JSON.stringify(version)} is not one this acr-preflight reads (1)`, 'analyze it with the acr-preflight version that wrote it');
  }
  const facts = isBundle ? (parsed as Record<string, unknown>).facts : parsed;
  const problem = snapshotProblem(facts) ?? factsSchemaProblem(facts);
  if (problem) throw new InputError(`${path}: not a fact snapshot: ${isBundle ? 'facts.' : ''}${problem}`);
  return facts as unknown as Facts;
}

export async function run(ctx: CommandContext): Promise<number> {
  const { io, values } = ctx;
  const bundle = ctx.positionals[0];
  if (!bundle) throw new UsageError('analyze needs a bundle file', 'usage: acr-preflight analyze bundle.json [--format ...]');
  const ruleIds = RULES.map((r) => r.id);
  const gate = parseGateOptions(values, ruleIds);
  const targets = parseOutputPlan(values, io.cwd);
  const facts = loadSnapshot(bundle, io.cwd);
  let loaded: LoadedConfig | undefined;
  if (typeof values.config === 'string') {
    loaded = loadConfig({ file: values.config, env: io.env, cwd: io.cwd, ruleIds });
    for (const w of loaded.warnings) io.stderr.write(`acr-preflight: warning: ${w}\n`);
  }
  const zoneAdditions = loaded?.config.zones;
  const report = runRules(facts, {
    rules: RULES,
    ...gateRunOptions(gate, loaded?.config.waivers),
    ...(zoneAdditions ? { zones: withOverrides(withOverrides(loadZoneTable(), facts.input.zoneOverrides), zoneAdditions) } : {}),
  });
  const artifact = loaded && loaded.file !== '<env>' ? loaded.file : resolve(io.cwd, bundle);
  writeOutputs(report, targets, { io, rules: RULES, color: ctx.color, artifactUri: artifact });
  return report.exitCode;
}
