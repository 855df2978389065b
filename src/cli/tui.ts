// `acr-preflight tui` (and plain `acr-preflight` on a terminal): the interactive UI over the live
// check and guided provision. ink and React are imported here only, dynamically, when a terminal
// is there to draw on; without one the same session runs plainly (progress on stderr, the text
// report on stdout). Returns the exit code like `check`: 0/1/3 from the last report, 130 when
// interrupted (Ctrl-C, or quitting before the checks finished).
import { EXIT } from '../errors.js';
import { renderText } from '../report/text.js';
import { liveSource } from '../tui/live-source.js';
import type { CommandContext } from './context.js';
import { loadForCommand } from './live.js';

export async function run(ctx: CommandContext): Promise<number> {
  const { io, values } = ctx;
  const loaded = loadForCommand(ctx);
  const source = await liveSource(loaded, { cwd: io.cwd, env: io.env, noProbes: values['no-probes'] === true });

  const terminal = Boolean(io.stdin.isTTY && io.stdout.isTTY);
  if (!terminal) {
    const { runPlain } = await import('../tui/plain.js');
    const r = await runPlain({ source, stdout: io.stdout, stderr: io.stderr, signal: ctx.signal, render: (rep) => renderText(rep, { color: false }) });
    if (ctx.signal.aborted) return EXIT.interrupted;
    if (!r.report) {
      io.stderr.write(`acr-preflight: tui: the checks could not run: ${r.error ?? 'unknown error'}\n`);
      return EXIT.usage;
    }
    return r.report.exitCode;
  }

  const { runTui } = await import('../tui/run.js');
  const exit = await runTui({
    source,
    stdin: io.stdin as NodeJS.ReadStream,
    stdout: io.stdout as NodeJS.WriteStream,
    stderr: io.stderr as NodeJS.WriteStream,
    color: ctx.color,
    signal: ctx.signal,
  });
  if (exit.kind === 'interrupt') return EXIT.interrupted;
  if (!exit.report) {
    io.stderr.write('acr-preflight: tui: quit before the checks finished\n');
    return EXIT.interrupted;
  }
  const r = exit.report;
  io.stderr.write(`acr-preflight: ${r.verdict} — pass ${r.summary.pass}, warn ${r.summary.warn}, fail ${r.summary.fail}, skip ${r.summary.skip}, error ${r.summary.error}\n`);
  return r.exitCode;
}
