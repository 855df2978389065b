// `acr-preflight collect --out bundle.json`: facts + raw call evidence + what the verdict was made of
// (flags, waivers, the verdict judged at the collection time), redacted, mode 0600.
import { basename, resolve } from 'node:path';
import { RULES } from '../../rules/index.js';
import { resolveSecret } from '../config/secrets.js';
import { UsageError } from '../errors.js';
import { runRules, selectRules } from '../engine/runner.js';
import { makeBundle, type CallRecord } from '../facts/bundle.js';
import { credentialsFor } from '../cloud/credentials.js';
import type { CommandContext } from './context.js';
import { gateRunOptions, parseGateOptions } from './gate-options.js';
import { collectOnce } from '../app/check.js';
import { loadForCommand, progressPrinter } from './live.js';
import { assertWritable, writeFileAtomic } from './output.js';

export async function run(ctx: CommandContext): Promise<number> {
  const { io, values } = ctx;
  if (typeof values.out !== 'string' || !values.out) throw new UsageError('collect needs --out FILE', 'usage: acr-preflight collect [-c preflight.yaml] --out bundle.json');
  const gate = parseGateOptions(values, RULES.map((r) => r.id));
  const out = resolve(io.cwd, values.out);
  assertWritable(out, values.out, '--out');
  const loaded = loadForCommand(ctx);
  const calls: CallRecord[] = [];
  const noProbes = values['no-probes'] === true;
  const selected = selectRules(RULES, gate.only, gate.skip);
  const { facts } = await collectOnce(loaded, {
    env: io.env,
    noProbes,
    signal: ctx.signal,
    onProgress: progressPrinter(io.stderr),
    onCall: (c) => calls.push({ ...c, ms: Math.round(c.ms) }),
    // --only/--skip: collect what the selected rules read, nothing more
    ...(gate.only || gate.skip ? { needs: selected.flatMap((r) => r.needs) } : {}),
  });
  // judged as of the collection time, so `analyze` of the bundle reaches the same verdict
  const gateOpts = gateRunOptions(gate, loaded.config.waivers);
  const report = runRules(facts, { rules: RULES, ...gateOpts, now: new Date(facts.collectedAt) });
  const secret = (ref: string | undefined, what: string) => {
    if (!ref) return undefined;
    try {
      return resolveSecret(ref, loaded.baseDir, io.env, what);
    } catch {
      return undefined;
    }
  };
  const c = loaded.config;
  // the credentials actually used (a profile, a role), not only the environment's, are scrubbed too
  let used: { accessKeySecret?: string; securityToken?: string } = {};
  try {
    used = await credentialsFor({ ...(c.cloud?.profile ? { profile: c.cloud.profile } : {}), env: io.env }).get();
  } catch {
    /* none to scrub beyond the environment's */
  }
  const bundle = makeBundle(facts, calls, {
    pseudonymize: values.pseudonymize === true,
    secrets: {
      'gitlab token': secret(c.gitlab.token, 'gitlab.token'),
      'AccessKey secret': io.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
      'STS token': io.env.ALIBABA_CLOUD_SECURITY_TOKEN,
      'AccessKey secret in use': used.accessKeySecret,
      'STS token in use': used.securityToken,
      'jump host key passphrase': secret(c.probe?.jumpHost?.passphrase, 'passphrase'),
      'GitLab host key passphrase': secret(c.probe?.gitlabHost?.ssh.passphrase, 'passphrase'),
      'router key passphrase': secret(c.datacenter?.router?.ssh.passphrase, 'passphrase'),
    },
    collection: {
      configFile: loaded.file === '<env>' ? null : basename(loaded.file),
      flags: { failOn: gate.failOn, ...(gate.only ? { only: gate.only } : {}), ...(gate.skip ? { skip: gate.skip } : {}), noProbes, noWaivers: gate.noWaivers },
      waivers: gate.noWaivers ? [] : (c.waivers ?? []).map((w) => ({ rule: w.rule, reason: w.reason, owner: w.owner, expires: w.expires, ...(w.scope ? { scope: w.scope } : {}) })),
      verdict: {
        verdict: report.verdict,
        exitCode: report.exitCode,
        summary: report.summary,
        judgedAt: report.generatedAt,
        results: report.results.map((r) => ({ ruleId: r.ruleId, status: r.status, ...(r.waived ? { waived: true as const } : {}) })),
      },
    },
  });
  writeFileAtomic(out, `${JSON.stringify(bundle, null, 2)}\n`, 0o600);
  const s = report.summary;
  io.stderr.write(
    `acr-preflight: wrote support bundle ${values.out} (${calls.length} API calls, verdict ${report.verdict}: ${s.pass} pass, ${s.warn} warn, ${s.fail} fail, ${s.skip} skip, ${s.error} error, ${s.waived} waived${bundle.redaction.pseudonymized ? '; pseudonymized' : ''})\n`,
  );
  io.stdout.write(`${out}\n`);
  // the exit codes hold for every command: a bundle of a failing environment still exits 1 (3: incomplete)
  return report.exitCode;
}
