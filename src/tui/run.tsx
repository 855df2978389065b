// Mounts the ink app on the terminal and resolves with how it ended and the last report. A close
// while provision was applying leaves one line on stderr: what goes on, and the resume hint.
// Loaded only by `acr-preflight tui` (src/cli/tui.ts imports this module dynamically).
import React from 'react';
import { render } from 'ink';
import { App, type TuiExit } from './app.js';
import type { CheckSource } from './session.js';
import { TuiSession } from './session.js';

export interface RunTuiOptions {
  source: CheckSource;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  color: boolean;
  /** aborted on SIGINT/SIGTERM from outside the terminal (Ctrl-C in raw mode arrives as a key) */
  signal: AbortSignal;
}

export async function runTui(opts: RunTuiOptions): Promise<TuiExit> {
  // The single-file build (scripts/bundle.ts) cannot start ink's layout engine (WebAssembly) while
  // loading it, as the npm package does; it leaves a hook that does it here, before the first render.
  await (globalThis as Record<symbol, (() => Promise<void>) | undefined>)[Symbol.for('acr-preflight.loadYoga')]?.();
  const session = new TuiSession(opts.source);
  let result: TuiExit = { kind: 'quit' };
  const instance = render(<App session={session} color={opts.color} onExit={(e) => (result = e)} />, {
    stdin: opts.stdin,
    stdout: opts.stdout,
    stderr: opts.stderr,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const onAbort = () => {
    session.close(opts.signal.reason);
    const note = session.interruptedNote;
    result = { kind: 'interrupt', ...(session.report ? { report: session.report } : {}), ...(note ? { note } : {}) };
    instance.unmount();
  };
  if (opts.signal.aborted) onAbort();
  else opts.signal.addEventListener('abort', onAbort, { once: true });
  try {
    await instance.waitUntilExit();
  } finally {
    opts.signal.removeEventListener('abort', onAbort);
    session.close();
  }
  // closed while provision was applying: say what goes on and how to pick it up again
  const note = result.note ?? session.interruptedNote;
  if (note) opts.stderr.write(`${note}\n`);
  return result;
}
