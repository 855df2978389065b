// `acr-preflight redact bundle.json --out new.json [--pseudonymize]`: re-redact a saved bundle
// without collecting again. Never overwrites its input (the original is what support may need to
// compare against); the output is written atomically with mode 0600.
import { resolve } from 'node:path';
import { loadSaved } from '../app/bundles.js';
import { UsageError } from '../errors.js';
import { redactBundle } from '../facts/bundle.js';
import type { CommandContext } from './context.js';
import { assertWritable, sameFile, writeFileAtomic } from './output.js';

export async function run(ctx: CommandContext): Promise<number> {
  const { io, values } = ctx;
  const file = ctx.positionals[0];
  const usage = 'usage: acr-preflight redact bundle.json --out redacted.json [--pseudonymize]';
  if (!file) throw new UsageError('redact needs a bundle file', usage);
  if (typeof values.out !== 'string' || !values.out) throw new UsageError('redact needs --out FILE', usage);
  const inAbs = resolve(io.cwd, file);
  const out = resolve(io.cwd, values.out);
  if (sameFile(inAbs, out)) throw new UsageError(`redact: --out ${values.out} is the input bundle itself; it is never overwritten`, 'write the redacted bundle to another file');
  assertWritable(out, values.out, '--out');
  const input = loadSaved(file, io.cwd);
  if (input.kind !== 'bundle') throw new UsageError(`${file}: a bare fact snapshot, not a support bundle`, 'pass a bundle written by `acr-preflight collect --out`');
  const redacted = redactBundle(input.bundle, { pseudonymize: values.pseudonymize === true });
  writeFileAtomic(out, `${JSON.stringify(redacted, null, 2)}\n`, 0o600);
  const r = redacted.redaction;
  const kinds = r.replaced?.map((k) => `${k.count} ${k.kind.replace(/ \(.*$/, '')}`).join(', ');
  io.stderr.write(`acr-preflight: wrote ${values.out} (bundle version ${redacted.bundleVersion}${values.pseudonymize === true ? `; pseudonymized: ${kinds || 'nothing to replace'}` : ''})\n`);
  io.stdout.write(`${out}\n`);
  return 0;
}
