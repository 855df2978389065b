// `acr-preflight rules`: the registry as a table (id, severity, title) or JSON.
import { RULES } from '../../rules/index.js';
import { UsageError } from '../errors.js';
import { docsUrl } from '../paths.js';
import type { CommandContext } from './context.js';

export async function run(ctx: CommandContext): Promise<number> {
  const format = ctx.values.format ?? 'text';
  if (format === 'json') {
    const list = RULES.map((r) => ({
      id: r.id,
      severity: r.severity,
      title: r.title,
      description: r.description,
      paths: r.paths ?? ['ecs', 'slb', 'idc', 'unknown'],
      needs: r.needs,
      docs: docsUrl(r.id),
    }));
    ctx.io.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    return 0;
  }
  if (format !== 'text') throw new UsageError(`rules: unknown --format "${String(format)}"`, 'use --format text or --format json');
  const w = Math.max(2, ...RULES.map((r) => r.id.length));
  const lines = [`${'ID'.padEnd(w)}  SEVERITY  TITLE`];
  for (const r of RULES) lines.push(`${r.id.padEnd(w)}  ${r.severity.padEnd(8)}  ${r.title}`);
  lines.push('', `${RULES.length} rules. \`acr-preflight explain ID\` tells what a rule checks and how to fix it.`);
  ctx.io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
