// A real terminal for system tests: one private tmux server per test (unique -L socket), a pane of
// a fixed size running the real binary, the screen read with capture-pane, keys sent with send-keys.
// Only this server is ever killed, by its own socket.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
let counter = 0;

export function haveTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export class Tmux {
  readonly socket = `acrp-tui-${process.pid}-${++counter}-${Date.now().toString(36)}`;
  private readonly dir = mkdtempSync(join(tmpdir(), 'acrp-tmux-'));
  private started = false;

  private tmux(args: string[], env?: NodeJS.ProcessEnv) {
    return run('tmux', ['-L', this.socket, ...args], { env: env ?? process.env, timeout: 10_000 });
  }

  /** Start `argv` in an 80×24 (default) pane; the pane stays after the program exits, to read its status. */
  async start(argv: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; width?: number; height?: number } = {}): Promise<void> {
    const conf = join(this.dir, 'tmux.conf');
    writeFileSync(conf, 'set -g remain-on-exit on\nset -g status off\nset -g history-limit 5000\nset -sg escape-time 0\n');
    const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', ...opts.env };
    delete env.TMUX;
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
    // the shell records the program's exit status in a file: tmux's pane_dead_status is not always
    // filled in by the time the pane is reported dead
    const shellCmd = `${argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')}; echo $? > '${join(this.dir, 'exit-status')}'`;
    await this.tmux(
      ['-f', conf, 'new-session', '-d', '-s', 'main', '-x', String(opts.width ?? 80), '-y', String(opts.height ?? 24), '-c', opts.cwd ?? process.cwd(), shellCmd],
      env,
    );
    this.started = true;
  }

  /** The visible screen as text (no colours). */
  async screen(): Promise<string> {
    const { stdout } = await this.tmux(['capture-pane', '-p', '-t', 'main']);
    return stdout;
  }

  /** Send keys by tmux name (Enter, Escape, Up, Down, C-c) or literal text with {literal: true}. */
  async keys(keys: string | string[], opts: { literal?: boolean } = {}): Promise<void> {
    const list = Array.isArray(keys) ? keys : [keys];
    await this.tmux(['send-keys', '-t', 'main', ...(opts.literal ? ['-l'] : []), ...list]);
  }

  /** Poll the screen until it matches; fails with the last screen after `ms`. */
  async waitFor(re: RegExp, ms = 20_000): Promise<string> {
    const t0 = Date.now();
    let last = '';
    for (;;) {
      last = await this.screen();
      if (re.test(last)) return last;
      if (Date.now() - t0 > ms) throw new Error(`timeout after ${ms} ms waiting for ${re}\n--- screen ---\n${last}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The program's exit status once it has exited (undefined while it runs). */
  async exitStatus(): Promise<number | undefined> {
    const f = join(this.dir, 'exit-status');
    if (!existsSync(f)) return undefined;
    const text = readFileSync(f, 'utf8').trim();
    return text === '' ? undefined : Number(text);
  }

  async waitExit(ms = 15_000): Promise<number> {
    const t0 = Date.now();
    for (;;) {
      const s = await this.exitStatus();
      if (s !== undefined) return s;
      if (Date.now() - t0 > ms) throw new Error(`program did not exit within ${ms} ms\n--- screen ---\n${await this.screen()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Kill this test's tmux server (and with it the program, if still running). */
  async close(): Promise<void> {
    if (this.started) await this.tmux(['kill-server']).catch(() => {});
    this.started = false;
    rmSync(this.dir, { recursive: true, force: true });
  }
}
