// The SARIF 2.1.0 schema validator (fixtures/sarif-schema-2.1.0.json, see its .md for the source).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvModule from 'ajv';
import { ROOT } from '../helpers/cli.js';

const Ajv = AjvModule.default ?? AjvModule;

export const SARIF_SCHEMA_FILE = join(ROOT, 'fixtures', 'sarif-schema-2.1.0.json');

/** A plain boolean check (not a type guard, so callers keep their own typing), with ajv's errors. */
export function sarifValidator(): ((doc: unknown) => boolean) & { errors?: unknown[] | null } {
  const schema = JSON.parse(readFileSync(SARIF_SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
  // The schema is draft-04; it uses no keyword whose meaning changed in draft-07 (no exclusive
  // bounds, no dependencies), so only the dialect declaration and the id keyword are renamed.
  const { id, $schema: _s, ...rest } = schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  ajv.addFormat('uri', (s: string) => URL.canParse(s));
  ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'http://base.invalid/'));
  const compiled = ajv.compile({ ...rest, $id: id as string });
  const check = (doc: unknown): boolean => {
    const ok = compiled(doc);
    check.errors = compiled.errors;
    return ok;
  };
  check.errors = null as unknown[] | null | undefined;
  return check;
}

