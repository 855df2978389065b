// `tui` without a terminal (piped, CI): the same session, no ink. Progress lines go to stderr as
// the events arrive; the report (text reporter) goes to stdout. Returns the report, or undefined
// when collection failed or was interrupted.
import type { Report } from '../engine/types.js';
import type { SessionEvent } from './events.js';
import { STATUS_LABEL } from './format.js';
import { TuiSession, type CheckSource } from './session.js';

export interface PlainOptions {
  source: CheckSource;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  signal: AbortSignal;
  /** the text reporter */
  render: (report: Report) => string;
}

export function progressLine(e: SessionEvent): string | undefined {
  switch (e.type) {
    case 'collect-start':
      return e.scope === 'all' ? 'collecting facts…' : `collecting facts for ${e.scope}…`;
    case 'collect-step':
      return e.step.state === 'running' ? undefined : `  ${e.step.state === 'done' ? 'done' : 'FAILED'}  ${e.step.label}`;
    case 'collect-error':
      return `collection failed: ${e.message}`;
    case 'rule-finish':
      return `${STATUS_LABEL[e.result.status]} ${e.result.ruleId}${e.result.waived ? ' (waived)' : ''}`;
    default:
      return undefined;
  }
}

export async function runPlain(opts: PlainOptions): Promise<{ report?: Report; error?: string }> {
  const session = new TuiSession(opts.source);
  let error: string | undefined;
  session.subscribe((e) => {
    if (e.type === 'collect-error') error = e.message;
    const line = progressLine(e);
    if (line) opts.stderr.write(`${line}\n`);
  });
  const onAbort = () => session.close(opts.signal.reason);
  opts.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const report = await session.runChecks();
    if (report) opts.stdout.write(opts.render(report));
    return { ...(report ? { report } : {}), ...(error ? { error } : {}) };
  } finally {
    opts.signal.removeEventListener('abort', onAbort);
    session.close();
  }
}
