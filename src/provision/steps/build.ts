// Steps "build-rule:<key>" and "build:<key>": make sure each configured build rule exists (matched on
// push type, push name and image tag; never a duplicate), trigger a build, poll its status with
// backoff (case-insensitive; an unknown value is not terminal), stream the log lines by stage as
// they come, cancel on --timeout. A failure in the GIT_CLONE stage re-runs the network rules of the
// access path and shows them next to the log.
import type { BuildRuleConfig, Config } from '../../config/types.js';
import { ProvisionError } from '../../errors.js';
import type { ProvisionRuntime } from '../context.js';
import { lastDone, type BeginEntry, type JournalEntry } from '../journal.js';
import { networkRules, ruleKey, type CrState, type ExistingBuildRule } from '../state.js';
import type { ApiCall, PlanStep } from '../types.js';
import { call, errorCode, normStatus, Waiter } from '../util.js';
import { REPO_ID } from './bind.js';

export const TERMINAL_OK = new Set(['SUCCESS']);
export const TERMINAL_BAD = new Set(['FAILED', 'FAIL', 'FAILURE', 'CANCELED', 'CANCELLED', 'ERROR', 'TIMEOUT']);

export function isTerminal(status: string): boolean {
  const s = normStatus(status);
  return TERMINAL_OK.has(s) || TERMINAL_BAD.has(s);
}

export function ruleIdPlaceholder(key: string): string {
  return `<BuildRuleId from step build-rule:${key}>`;
}

export function matchRule(existing: readonly ExistingBuildRule[], r: BuildRuleConfig): ExistingBuildRule | undefined {
  return existing.find((e) => e.pushType.toUpperCase() === r.pushType && e.pushName === r.pushName && e.imageTag === r.imageTag);
}

/** Build-arg values may be secrets (NPM_TOKEN=…): plans, the TUI and the journal show the names only. */
export function maskBuildArgs(params: ApiCall['params']): ApiCall['params'] {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, /^BuildArgs\.\d+$/.test(k) ? String(v).replace(/=.*$/s, '=***') : v]));
}

export function buildRuleParams(config: Config, repoId: string, r: BuildRuleConfig): ApiCall['params'] {
  const p: ApiCall['params'] = {
    InstanceId: config.acr.instanceId,
    RepoId: repoId,
    PushType: r.pushType,
    PushName: r.pushName,
    ImageTag: r.imageTag,
    DockerfileLocation: r.dockerfileLocation ?? '/',
    DockerfileName: r.dockerfileName ?? 'Dockerfile',
  };
  // arrays are flattened as Name.1, Name.2 (docs/alibaba-api.md)
  (r.buildArgs ?? []).forEach((a, i) => (p[`BuildArgs.${i + 1}`] = a));
  (r.platforms ?? []).forEach((a, i) => (p[`Platforms.${i + 1}`] = a));
  return p;
}

export function planBuildRule(config: Config, cr: CrState, r: BuildRuleConfig): PlanStep {
  const key = ruleKey(r);
  const base = { id: `build-rule:${key}`, phase: 'build' as const, title: `Build rule ${r.pushType} ${r.pushName} → :${r.imageTag}` };
  const found = matchRule(cr.buildRules, r);
  if (found) {
    const notes: string[] = [];
    const dups = cr.buildRules.filter((e) => e !== found && matchRule([e], r));
    if (dups.length) notes.push(`duplicates exist already (${dups.map((d) => d.buildRuleId).join(', ')}); using the first`);
    if ((r.dockerfileName ?? 'Dockerfile') !== (found.dockerfileName ?? 'Dockerfile') || (r.dockerfileLocation ?? '/') !== (found.dockerfileLocation ?? '/')) {
      notes.push(`its Dockerfile differs from the config (${found.dockerfileLocation ?? '/'}${found.dockerfileName ?? 'Dockerfile'}); left as it is`);
    }
    return { ...base, kind: 'done', why: `the rule exists (${found.buildRuleId})`, calls: [], notes };
  }
  return {
    ...base,
    kind: 'api',
    why: 'no build rule with this push type, push name and image tag',
    calls: [{ product: 'cr', action: 'CreateRepoBuildRule', params: maskBuildArgs(buildRuleParams(config, cr.repoId ?? REPO_ID, r)) }],
    notes: [],
  };
}

/** The last completed build of a rule recorded in the journal. */
export function lastBuild(entries: readonly JournalEntry[], key: string): { buildRecordId: string; status: string; buildRuleId?: string; at: string } | undefined {
  const e = lastDone(entries, 'await-build', key);
  if (!e?.result) return undefined;
  return { buildRecordId: String(e.result.BuildRecordId), status: String(e.result.status), buildRuleId: e.result.BuildRuleId as string | undefined, at: e.at };
}

export function planBuild(config: Config, cr: CrState, r: BuildRuleConfig, journal: readonly JournalEntry[], resumeId: string | undefined, buildTimeoutMs: number): PlanStep {
  const key = ruleKey(r);
  const existing = matchRule(cr.buildRules, r);
  const ruleId = existing?.buildRuleId ?? ruleIdPlaceholder(key);
  const repoId = cr.repoId ?? REPO_ID;
  const base = { id: `build:${key}`, phase: 'build' as const, title: `Build ${r.pushName} → ${config.acr.namespace}/${config.acr.repository}:${r.imageTag}` };
  const poll = `then GetRepoBuildRecordStatus with backoff, ListRepoBuildRecordLog lines as they come; CancelRepoBuildRecord after ${Math.round(buildTimeoutMs / 1000)} s (--timeout)`;
  if (resumeId) {
    return {
      ...base,
      kind: 'api',
      why: `an interrupted run triggered build ${resumeId}: wait for it (no new build)`,
      calls: [{ product: 'cr', action: 'GetRepoBuildRecordStatus', params: { InstanceId: config.acr.instanceId, RepoId: repoId, BuildRecordId: resumeId } }],
      notes: [poll.replace(/^then /, '')],
    };
  }
  const prev = lastBuild(journal, key);
  if (prev && normStatus(prev.status) === 'SUCCESS' && existing && prev.buildRuleId === existing.buildRuleId) {
    return { ...base, kind: 'done', why: `built already by provision: ${prev.buildRecordId} SUCCESS (${prev.at})`, calls: [], notes: [] };
  }
  const notes = [poll];
  if (prev) notes.unshift(`the last build of this rule (${prev.buildRecordId}) ended ${prev.status}: building again`);
  return {
    ...base,
    kind: 'api',
    why: 'run the build once to prove the whole path: clone from GitLab through the link, build, push',
    calls: [{ product: 'cr', action: 'CreateBuildRecordByRule', params: { InstanceId: config.acr.instanceId, RepoId: repoId, BuildRuleId: ruleId } }],
    notes,
  };
}

export async function runBuildRule(rt: ProvisionRuntime, step: PlanStep, r: BuildRuleConfig, repoId: string, existing: ExistingBuildRule | undefined): Promise<string> {
  if (step.kind === 'done' && existing) return existing.buildRuleId;
  const params = buildRuleParams(rt.config, repoId, r);
  return rt.journal.around(
    'create-build-rule',
    ruleKey(r),
    maskBuildArgs(params),
    async () => {
      const b = await call(rt.api, 'cr', 'CreateRepoBuildRule', params, rt.signal);
      if (!b.BuildRuleId) throw new ProvisionError('ERR_API_SHAPE', 'CreateRepoBuildRule answered without BuildRuleId');
      return String(b.BuildRuleId);
    },
    (id) => ({ BuildRuleId: id }),
  );
}

export interface BuildOutcome {
  key: string;
  buildRecordId: string;
  status: string;
  image: string;
  ok: boolean;
  /** the stage of the last log line */
  lastStage?: string;
  timedOut?: boolean;
}

/** Trigger (or re-attach to `resume`) and follow a build to its end. */
export async function runBuild(
  rt: ProvisionRuntime,
  r: BuildRuleConfig,
  repoId: string,
  buildRuleId: string,
  resume?: { buildRecordId: string; triggeredAt: number },
): Promise<BuildOutcome> {
  const key = ruleKey(r);
  const inst = rt.config.acr.instanceId;
  const image = `${rt.config.acr.namespace}/${rt.config.acr.repository}:${r.imageTag}`;
  let buildRecordId: string;
  let triggeredAt: number;
  if (resume) {
    buildRecordId = resume.buildRecordId;
    triggeredAt = resume.triggeredAt;
    rt.emit({ type: 'provision-note', message: `re-attaching to build ${buildRecordId} (triggered by an interrupted run)` });
  } else {
    triggeredAt = rt.now();
    buildRecordId = await rt.journal.around(
      'trigger-build',
      key,
      { BuildRuleId: buildRuleId, RepoId: repoId, ImageTag: r.imageTag },
      async () => {
        const b = await call(rt.api, 'cr', 'CreateBuildRecordByRule', { InstanceId: inst, RepoId: repoId, BuildRuleId: buildRuleId }, rt.signal);
        if (!b.BuildRecordId) throw new ProvisionError('ERR_API_SHAPE', 'CreateBuildRecordByRule answered without BuildRecordId');
        return String(b.BuildRecordId);
      },
      (id) => ({ BuildRecordId: id, BuildRuleId: buildRuleId }),
    );
  }
  rt.emit({ type: 'provision-build', status: 'TRIGGERED', buildId: buildRecordId });
  const b = rt.journal.begin('await-build', key, { BuildRecordId: buildRecordId, BuildRuleId: buildRuleId, triggeredAt: new Date(triggeredAt).toISOString() });
  const out = await follow(rt, b, { repoId, buildRecordId, buildRuleId, triggeredAt, image, key });
  return out;
}

async function follow(
  rt: ProvisionRuntime,
  b: BeginEntry,
  x: { repoId: string; buildRecordId: string; buildRuleId: string; triggeredAt: number; image: string; key: string },
): Promise<BuildOutcome> {
  const inst = rt.config.acr.instanceId;
  const ids = { InstanceId: inst, RepoId: x.repoId, BuildRecordId: x.buildRecordId };
  const log = new LogTail(rt, ids);
  const waiter = new Waiter(rt.options.buildPoll);
  const deadline = x.triggeredAt + rt.options.buildTimeoutMs;
  let status = '';
  let errors = 0;
  for (;;) {
    try {
      const s = await call(rt.api, 'cr', 'GetRepoBuildRecordStatus', ids, rt.signal);
      errors = 0;
      const now = normStatus(s.BuildStatus);
      if (now !== status) {
        status = now;
        rt.emit({ type: 'provision-build', status, buildId: x.buildRecordId });
      }
    } catch (err) {
      if (rt.signal.aborted) throw err;
      if (errorCode(err) === 'BUILD_RECORD_NOT_EXIST' || ++errors >= 5) {
        rt.journal.end(b, false, { error: (err as Error).message });
        throw err;
      }
    }
    await log.pull();
    if (isTerminal(status)) break;
    const left = deadline - rt.now();
    if (left <= 0) {
      const canceled = await cancel(rt, ids, x.key);
      await log.pull();
      const final = canceled ?? status;
      rt.journal.end(b, true, { result: { BuildRecordId: x.buildRecordId, BuildRuleId: x.buildRuleId, status: final || 'UNKNOWN', timedOut: true } });
      return { key: x.key, buildRecordId: x.buildRecordId, status: final || 'UNKNOWN', image: x.image, ok: false, timedOut: true, ...(log.lastStage ? { lastStage: log.lastStage } : {}) };
    }
    await rt.sleep(waiter.next(left), rt.signal);
  }
  // the last lines may land after the status turned terminal
  await log.pull();
  rt.journal.end(b, true, { result: { BuildRecordId: x.buildRecordId, BuildRuleId: x.buildRuleId, status } });
  return { key: x.key, buildRecordId: x.buildRecordId, status, image: x.image, ok: TERMINAL_OK.has(status), ...(log.lastStage ? { lastStage: log.lastStage } : {}) };
}

async function cancel(rt: ProvisionRuntime, ids: Record<string, string>, key: string): Promise<string | undefined> {
  rt.emit({ type: 'provision-note', message: `build ${ids.BuildRecordId} exceeded --timeout (${Math.round(rt.options.buildTimeoutMs / 1000)} s): cancelling it` });
  try {
    await rt.journal.around('cancel-build', key, ids, () => call(rt.api, 'cr', 'CancelRepoBuildRecord', ids, rt.signal));
  } catch (err) {
    if (rt.signal.aborted) throw err;
    rt.emit({ type: 'provision-note', message: `CancelRepoBuildRecord failed: ${(err as Error).message}` });
  }
  // bounded: watch it settle for a few polls
  for (let i = 0; i < 10; i++) {
    const s = normStatus((await call(rt.api, 'cr', 'GetRepoBuildRecordStatus', ids, rt.signal)).BuildStatus);
    if (isTerminal(s)) {
      rt.emit({ type: 'provision-build', status: s, buildId: ids.BuildRecordId });
      return s;
    }
    await rt.sleep(300, rt.signal);
  }
  return undefined;
}

/**
 * Incremental log reader. Whether `Offset` is inclusive is not documented: ask from the
 * highest line number seen and drop what was seen, so either reading works.
 */
export class LogTail {
  private seen = 0;
  lastStage?: string;
  constructor(
    private readonly rt: ProvisionRuntime,
    private readonly ids: Record<string, string>,
  ) {}

  async pull(): Promise<void> {
    for (let page = 0; page < 50; page++) {
      let body: Record<string, any>;
      try {
        body = await call(this.rt.api, 'cr', 'ListRepoBuildRecordLog', { ...this.ids, Offset: this.seen }, this.rt.signal);
      } catch (err) {
        if (this.rt.signal.aborted) throw err;
        return; // the log is a view; the status decides
      }
      const lines = (Array.isArray(body.BuildRecordLogs) ? body.BuildRecordLogs : []) as { LineNumber?: unknown; BuildStage?: unknown; Message?: unknown }[];
      let fresh = 0;
      let group: { stage: string; lines: string[] } | undefined;
      for (const [i, l] of lines.entries()) {
        const n = Number(l.LineNumber ?? this.seen + i + 1);
        if (!Number.isFinite(n) || n <= this.seen) continue;
        this.seen = n;
        fresh++;
        const stage = String(l.BuildStage ?? '');
        if (group && group.stage !== stage) {
          this.rt.emit({ type: 'provision-log', ...group });
          group = undefined;
        }
        group ??= { stage, lines: [] };
        group.lines.push(String(l.Message ?? ''));
        this.lastStage = stage;
      }
      if (group) this.rt.emit({ type: 'provision-log', ...group });
      if (fresh === 0 || lines.length < 100) return;
    }
  }
}

/** After a GIT_CLONE failure: re-run the network rules of the access path. */
export async function networkRecheck(rt: ProvisionRuntime, pathKind: string, registered: readonly string[]): Promise<{ ruleId: string; status: string; message: string }[]> {
  const only = networkRules(pathKind).filter((id) => registered.includes(id));
  if (!only.length) return [];
  const run = await rt.check({ only, signal: rt.signal });
  return run.report.results.map((r) => ({ ruleId: r.ruleId, status: r.status, message: r.message }));
}
