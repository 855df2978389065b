// The provision journal (house style: Pulumi's journal). One JSON-lines file per target under
// `.acr-preflight/` in the working directory, mode 0600. A `begin` line is written before every side
// effect and an `end` line after it (with the ids it created). A begin without an end is a pending
// operation: the next run refuses to go on until `--resume` reconciles it by looking the result up —
// never by retrying blindly.
import { appendFileSync, chmodSync, existsSync, mkdirSync, openSync, closeSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { InputError } from '../errors.js';

export const JOURNAL_DIR = '.acr-preflight';

export type JournalOp =
  | 'fix'
  | 'guided-link'
  | 'guided-bind'
  | 'create-namespace'
  | 'create-repository'
  | 'bind-source'
  | 'create-build-rule'
  | 'trigger-build'
  | 'await-build'
  | 'cancel-build';

export interface BeginEntry {
  v: 1;
  type: 'begin';
  /** unique per operation: "<run>:<n>" */
  id: string;
  run: string;
  at: string;
  op: JournalOp;
  /** what the operation is about, e.g. the build-rule key "GIT_BRANCH:main:latest" */
  key: string;
  params?: Record<string, unknown>;
}

export interface EndEntry {
  v: 1;
  type: 'end';
  id: string;
  run: string;
  at: string;
  op: JournalOp;
  key: string;
  ok: boolean;
  /** ids created / observed, e.g. { BuildRecordId } or { status: 'SUCCESS' } */
  result?: Record<string, unknown>;
  error?: string;
  /** written by --resume after looking the result up */
  reconciled?: boolean;
}

export type JournalEntry = BeginEntry | EndEntry;

/** A file-name-safe stem for a target. */
export function journalKey(t: { region: string; instanceId: string; namespace: string; repository: string }): string {
  return [t.region, t.instanceId, t.namespace, t.repository].map((s) => s.replace(/[^A-Za-z0-9._-]/g, '_')).join('__');
}

export function journalPath(cwd: string, key: string): string {
  return join(cwd, JOURNAL_DIR, `${key}.jsonl`);
}

/** Parse journal text; a torn last line (killed mid-write) is ignored, any other bad line is an error. */
export function parseJournal(text: string, label: string): JournalEntry[] {
  const out: JournalEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    try {
      const e = JSON.parse(line) as JournalEntry;
      if ((e.type !== 'begin' && e.type !== 'end') || typeof e.id !== 'string' || typeof e.op !== 'string') throw new Error('not a journal entry');
      out.push(e);
    } catch {
      const last = lines.slice(i + 1).every((l) => !l.trim());
      if (last) continue; // torn final write
      throw new InputError(`${label}:${i + 1}: not a journal line`, 'the journal is written by acr-preflight only; move the file away to start afresh');
    }
  }
  return out;
}

/** Operations begun and never ended, oldest first. */
export function pendingOps(entries: readonly JournalEntry[]): BeginEntry[] {
  const ended = new Set(entries.filter((e) => e.type === 'end').map((e) => e.id));
  return entries.filter((e): e is BeginEntry => e.type === 'begin' && !ended.has(e.id));
}

/** The end entry of an operation, if any. */
export function endOf(entries: readonly JournalEntry[], id: string): EndEntry | undefined {
  return entries.find((e): e is EndEntry => e.type === 'end' && e.id === id);
}

/** Latest successful end of `op` for `key`. */
export function lastDone(entries: readonly JournalEntry[], op: JournalOp, key: string): EndEntry | undefined {
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (e.type === 'end' && e.op === op && e.key === key && e.ok) return e;
  }
  return undefined;
}

export class Journal {
  readonly file: string;
  readonly run: string;
  private n = 0;
  private readonly now: () => Date;
  entries: JournalEntry[];

  private constructor(file: string, entries: JournalEntry[], now: () => Date) {
    this.file = file;
    this.entries = entries;
    this.now = now;
    this.run = `${now().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
  }

  /** Read the journal (absent = empty); nothing is created until the first write. */
  static open(cwd: string, key: string, now: () => Date = () => new Date()): Journal {
    const file = journalPath(cwd, key);
    const entries = existsSync(file) ? parseJournal(readFileSync(file, 'utf8'), file) : [];
    return new Journal(file, entries, now);
  }

  pending(): BeginEntry[] {
    return pendingOps(this.entries);
  }

  private append(e: JournalEntry): void {
    const dir = join(this.file, '..');
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!existsSync(this.file)) closeSync(openSync(this.file, 'a', 0o600));
    chmodSync(this.file, 0o600);
    // one write per line: a crash leaves at most a torn last line (ignored on read)
    appendFileSync(this.file, JSON.stringify(e) + '\n', { mode: 0o600 });
    this.entries.push(e);
  }

  begin(op: JournalOp, key: string, params?: Record<string, unknown>): BeginEntry {
    const e: BeginEntry = { v: 1, type: 'begin', id: `${this.run}:${++this.n}`, run: this.run, at: this.now().toISOString(), op, key, ...(params ? { params } : {}) };
    this.append(e);
    return e;
  }

  end(b: BeginEntry, ok: boolean, extra: { result?: Record<string, unknown>; error?: string; reconciled?: boolean } = {}): EndEntry {
    const e: EndEntry = { v: 1, type: 'end', id: b.id, run: this.run, at: this.now().toISOString(), op: b.op, key: b.key, ok, ...extra };
    this.append(e);
    return e;
  }

  /** Run a side effect between a begin and an end line. The end records the result's ids. */
  async around<T>(op: JournalOp, key: string, params: Record<string, unknown> | undefined, fn: () => Promise<T>, ids: (r: T) => Record<string, unknown> = () => ({})): Promise<T> {
    const b = this.begin(op, key, params);
    let r: T;
    try {
      r = await fn();
    } catch (err) {
      // a failed call the API answered is an end (nothing was done); an interruption or a lost
      // answer is not: the operation stays pending and --resume looks the result up
      if (isAbort(err) || isUncertain(err)) throw err;
      this.end(b, false, { error: errMessage(err) });
      throw err;
    }
    this.end(b, true, { result: ids(r) });
    return r;
  }
}

export function isAbort(err: unknown): boolean {
  const e = err as { name?: string; code?: string };
  return e?.name === 'AbortError' || e?.code === 'ABORT_ERR' || e?.code === 'ERR_INTERRUPTED';
}

const TRANSPORT = /^(TIMEOUT|ETIMEDOUT|ECONNRESET|ECONNABORTED|EPIPE|ENETUNREACH|EHOSTUNREACH|UND_ERR_.*|ReadTimeout|RequestTimeout)$/i;

/** The call may or may not have happened (no answer was read). */
export function isUncertain(err: unknown): boolean {
  const e = err as { code?: string; statusCode?: number; message?: string };
  if (typeof e?.statusCode === 'number') return false;
  if (e?.code && TRANSPORT.test(e.code)) return true;
  return /timed? ?out|socket hang up|ECONNRESET/i.test(e?.message ?? '');
}

export function errMessage(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const msg = (e?.message ?? String(err)).split('\n')[0]!;
  return e?.code && !msg.includes(e.code) ? `${e.code}: ${msg}` : msg;
}
