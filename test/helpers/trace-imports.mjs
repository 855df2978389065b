// Preloaded with --import: records every module URL the process resolves into $TRACE_IMPORTS_FILE.
import { register } from 'node:module';
register(
  'data:text/javascript,' +
    encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function resolve(spec, ctx, next) {
  const r = await next(spec, ctx);
  if (process.env.TRACE_IMPORTS_FILE) appendFileSync(process.env.TRACE_IMPORTS_FILE, r.url + '\\n');
  return r;
}`),
);
