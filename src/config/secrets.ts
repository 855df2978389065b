// Secret references (docs/config.md): "env:NAME" reads an environment variable, "file:PATH" reads a file
// (relative to the config's directory, "~/" expanded). Errors name the reference, never the secret.
import { readFileSync, statSync } from 'node:fs';
import { SecretError } from '../errors.js';
import { resolveUserPath } from './load.js';

/** Largest secret file we read (a token or passphrase is tiny; a key file is not a secret ref). */
export const MAX_SECRET_BYTES = 64 * 1024;

/**
 * Resolve a secret reference to its value. `what` names the field for messages ("gitlab.token").
 * Trailing newlines of files are dropped (`echo token > file` is the common way to write one).
 */
export function resolveSecret(ref: string, baseDir: string, env: NodeJS.ProcessEnv, what = 'secret'): string {
  const envM = /^env:([A-Za-z_][A-Za-z0-9_]*)$/.exec(ref);
  if (envM) {
    const name = envM[1]!;
    const v = env[name];
    if (v === undefined) throw new SecretError(`${what}: environment variable ${name} is not set`, `export ${name}=… (or use file:PATH)`);
    if (v.trim() === '') throw new SecretError(`${what}: environment variable ${name} is empty`, `set ${name} to the secret`);
    return v;
  }
  if (ref.startsWith('file:') && ref.length > 5) {
    const p = ref.slice(5);
    const full = resolveUserPath(p, baseDir, env);
    let size: number;
    try {
      const st = statSync(full);
      if (!st.isFile()) throw new SecretError(`${what}: ${p} is not a regular file (${full})`);
      size = st.size;
    } catch (err) {
      if (err instanceof SecretError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      throw new SecretError(`${what}: cannot read ${p} (${code === 'ENOENT' ? `not found: ${full}` : code ?? 'error'})`, 'check the file: reference');
    }
    if (size > MAX_SECRET_BYTES) throw new SecretError(`${what}: ${p} is ${size} bytes, too large for a secret (limit ${MAX_SECRET_BYTES})`, 'point file: at a file that holds only the secret');
    let text: string;
    try {
      text = readFileSync(full, 'utf8');
    } catch (err) {
      throw new SecretError(`${what}: cannot read ${p} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    const v = text.replace(/[\r\n]+$/, '');
    if (v.trim() === '') throw new SecretError(`${what}: ${p} is empty`, 'write the secret into the file');
    if (/[\r\n]/.test(v)) throw new SecretError(`${what}: ${p} holds more than one line`, 'a token file holds the token only');
    return v;
  }
  throw new SecretError(`${what}: not a secret reference (expected env:NAME or file:PATH)`, 'never put the secret itself in the config');
}
