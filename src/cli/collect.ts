// `acr-preflight collect --out bundle.json`: facts + raw call evidence, redacted, mode 0600.
import { resolve } from 'node:path';
import { checkOnce } from '../app/check.js';
import { resolveSecret } from '../config/secrets.js';
import { UsageError } from '../errors.js';
import { makeBundle, type CallRecord } from '../facts/bundle.js';
import { credentialsFor } from '../cloud/credentials.js';
import type { CommandContext } from './context.js';
import { loadForCommand, progressPrinter } from './live.js';
import { assertWritable, writeFileAtomic } from './output.js';

export async function run(ctx: CommandContext): Promise<number> {
  const { io, values } = ctx;
  if (typeof values.out !== 'string' || !values.out) throw new UsageError('collect needs --out FILE', 'usage: acr-preflight collect [-c preflight.yaml] --out bundle.json');
  const out = resolve(io.cwd, values.out);
  assertWritable(out, values.out, '--out');
  const loaded = loadForCommand(ctx);
  const calls: CallRecord[] = [];
  const { facts, report } = await checkOnce(loaded, {
    env: io.env,
    noProbes: values['no-probes'] === true,
    signal: ctx.signal,
    onProgress: progressPrinter(io.stderr),
    onCall: (c) => calls.push({ ...c, ms: Math.round(c.ms) }),
  });
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
  });
  writeFileAtomic(out, `${JSON.stringify(bundle, null, 2)}\n`, 0o600);
  io.stderr.write(`acr-preflight: wrote support bundle ${values.out} (${calls.length} API calls, verdict ${report.verdict}${bundle.redaction.pseudonymized ? ', addresses pseudonymized' : ''})\n`);
  io.stdout.write(`${out}\n`);
  return 0;
}
