// The audit of cloud calls: in memory (GET /__emulator/audit, handle.audit()) and, with --audit FILE,
// one JSON line per call appended to the file. Secrets never leave: keys, tokens and signatures
// are dropped or masked.
import { appendFileSync } from 'node:fs';
import { V1_COMMON } from './signature.js';

export interface AuditEntry {
  time: string;
  product: string;
  action: string;
  params: Record<string, string>;
  status: number;
  code: string;
}

const SECRET_KEY = /secret|token|password|signature|credential|privatekey/i;
/** named like a secret, but a pagination cursor that tests read to prove page-by-page paging */
const NOT_SECRET = new Set(['NextToken']);

export function maskParams(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    if (V1_COMMON.has(k)) continue;
    out[k] = SECRET_KEY.test(k) && !NOT_SECRET.has(k) ? '***' : v;
  }
  return out;
}

/** the in-memory audit keeps the newest entries only (the --audit file keeps every line) */
export const AUDIT_MEMORY_LIMIT = 200_000;

export class AuditLog {
  readonly entries: AuditEntry[] = [];
  constructor(private readonly file?: string) {}

  record(e: Omit<AuditEntry, 'time' | 'params'> & { params: Record<string, string> }): void {
    const entry: AuditEntry = { time: new Date().toISOString(), product: e.product, action: e.action, params: maskParams(e.params), status: e.status, code: e.code };
    this.entries.push(entry);
    if (this.entries.length > AUDIT_MEMORY_LIMIT) this.entries.splice(0, this.entries.length - AUDIT_MEMORY_LIMIT);
    if (this.file) appendFileSync(this.file, JSON.stringify(entry) + '\n', { mode: 0o600 });
  }
}
