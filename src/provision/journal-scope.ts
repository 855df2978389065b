// What a journal describes, and whether it still does. A journal file is keyed on the target
// (region, instance, namespace, repository) and on the account and cloud endpoint the client talks
// to, so a journal is never read against another account or another cloud. Inside it, an operation
// that names a repository or build rule that no longer exists (deleted, recreated, another world)
// is stale: it is reported in the plan's notes and ignored — never trusted to say "built already".
import type { CloudApi } from '../cloud/api.js';
import { Journal, type BeginEntry, type JournalEntry } from './journal.js';
import type { CrState } from './state.js';
import type { PlanTarget } from './types.js';

/** The journal file's stem: the target's key plus the account/endpoint scope (when the client has one). */
export async function scopedKey(target: PlanTarget, api: CloudApi): Promise<string> {
  const scope = api.scope ? await api.scope() : undefined;
  return scope ? `${target.key}__${scope}` : target.key;
}

export async function openJournal(cwd: string, target: PlanTarget, api: CloudApi): Promise<Journal> {
  return Journal.open(cwd, await scopedKey(target, api));
}

export interface Stale {
  entry: BeginEntry;
  why: string;
}

/** The resource ids an operation names, from its begin params and its end result. */
function named(entries: readonly JournalEntry[], id: string): { repoId?: string; buildRuleId?: string } {
  const out: { repoId?: string; buildRuleId?: string } = {};
  for (const e of entries) {
    if (e.id !== id) continue;
    const bag = (e.type === 'begin' ? e.params : e.result) ?? {};
    if (typeof bag.RepoId === 'string') out.repoId = bag.RepoId;
    if (typeof bag.BuildRuleId === 'string' && !bag.BuildRuleId.startsWith('<')) out.buildRuleId = bag.BuildRuleId;
  }
  return out;
}

/** Splits the entries into those still describing the observed state and the stale operations. */
export function trustJournal(entries: readonly JournalEntry[], cr: CrState): { trusted: JournalEntry[]; stale: Stale[] } {
  const stale: Stale[] = [];
  const staleIds = new Set<string>();
  const ruleIds = new Set(cr.buildRules.map((r) => r.buildRuleId));
  for (const e of entries) {
    if (e.type !== 'begin') continue;
    const n = named(entries, e.id);
    const why =
      n.repoId && n.repoId !== cr.repoId
        ? `repository ${n.repoId} no longer exists${cr.repoId ? ` (it is ${cr.repoId} now)` : ''}`
        : n.buildRuleId && !ruleIds.has(n.buildRuleId)
          ? `build rule ${n.buildRuleId} no longer exists`
          : undefined;
    if (why) {
      stale.push({ entry: e, why });
      staleIds.add(e.id);
    }
  }
  return { trusted: entries.filter((e) => !staleIds.has(e.id)), stale };
}

/** One plan note for the stale operations (grouped by what no longer exists). */
export function staleNote(file: string, stale: readonly Stale[]): string | undefined {
  if (!stale.length) return undefined;
  const whys = [...new Set(stale.map((s) => s.why))];
  return `the journal ${file} has ${stale.length} operation(s) about resources that are gone (${whys.join('; ')}): ignored`;
}
