// The ink app: views over the reducer's state, keys mapped by keyIntent, effects run by the session.
// The rule list stays live (it must re-render for the selection) and is bounded to the terminal
// height with scrolling, so no row is ever printed twice.
import React, { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { Box, Text, useApp, useInput, useStdout } from 'ink';
import type { Report } from '../engine/types.js';
import { detailLines } from './detail.js';
import { ms, STATUS_ICON, STATUS_LABEL, STATUS_TONE, truncate, type Line, type Tone } from './format.js';
import { provisionLines } from './provision-view.js';
import type { TuiSession } from './session.js';
import {
  initialState,
  KEY_HELP,
  keyIntent,
  listCapacity,
  pluralRules,
  provisionBusy,
  provisionGate,
  provisionStatus,
  QUIT_PROMPT,
  reduce,
  runActive,
  runElapsed,
  selectedIndex,
  splitKeys,
  visibleRows,
  type RuleRow,
  type TuiState,
  type UiAction,
} from './state.js';

export interface TuiExit {
  kind: 'quit' | 'interrupt';
  report?: Report;
  /** set when the TUI closed while provision was applying: the line for stderr (resume hint) */
  note?: string;
}

export interface AppProps {
  session: TuiSession;
  /** colour and animation (false with NO_COLOR / --no-color) */
  color: boolean;
  /** fixed size (tests); otherwise the terminal's, following resizes */
  width?: number;
  height?: number;
  onExit: (exit: TuiExit) => void;
  /** start the checks on mount (default true) */
  autoStart?: boolean;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const COLORS: Record<Tone, string | undefined> = {
  ok: 'green',
  bad: 'red',
  warn: 'yellow',
  dim: 'gray',
  heading: 'cyan',
  code: undefined,
  accent: 'magenta',
  plain: undefined,
};

/** A spinner frame that advances while `active` (a static mark without animation). */
function useSpinner(active: boolean, animate: boolean): string {
  const [i, setI] = useState(0);
  useEffect(() => {
    if (!active || !animate) return;
    const t = setInterval(() => setI((n) => (n + 1) % FRAMES.length), 100);
    return () => clearInterval(t);
  }, [active, animate]);
  return animate ? FRAMES[i]! : '*';
}

function Row({ line, color }: { line: Line; color: boolean }) {
  const c = color ? COLORS[line.tone ?? 'plain'] : undefined;
  return (
    <Text wrap="truncate-end" {...(c ? { color: c } : {})} bold={color && Boolean(line.bold)} inverse={color && Boolean(line.highlight)}>
      {line.text || ' '}
    </Text>
  );
}

function ruleLine(r: RuleRow, selected: boolean, width: number, spin: string, color: boolean): Line {
  const icon = r.status === 'running' ? spin : STATUS_ICON[r.status];
  const label = r.result?.waived ? 'WAIV' : STATUS_LABEL[r.status];
  const head = `${selected ? '›' : ' '} ${color ? `${icon} ` : ''}${label} ${r.id.padEnd(20)} `;
  const msg = r.status === 'pending' ? '' : r.status === 'running' ? 'running…' : r.message;
  return { text: truncate(head + msg, width), tone: r.result?.waived ? 'dim' : STATUS_TONE[r.status], highlight: selected };
}

function collectLine(s: TuiState, spin: string, width: number, now: number): Line {
  const run = s.run;
  const elapsed = ms(runElapsed(s, now));
  if (run.phase === 'idle') return { text: 'starting…', tone: 'dim' };
  if (run.phase === 'collecting') {
    const running = run.steps.filter((x) => x.state === 'running').map((x) => x.label);
    const done = run.steps.filter((x) => x.state !== 'running').length;
    const what = running.length ? running.join(', ') : 'starting';
    const scope = run.scope === 'all' ? '' : ` for ${run.scope}`;
    return { text: truncate(`${spin} collecting${scope} (${done} done, ${elapsed}): ${what}`, width) };
  }
  if (run.phase === 'evaluating') return { text: truncate(`${spin} evaluating rules…`, width) };
  if (run.phase === 'failed') return { text: truncate(`✗ collection failed: ${run.error ?? ''}`, width), tone: 'bad' };
  const failed = run.steps.filter((x) => x.state === 'failed').length;
  const scope = run.scope === 'all' ? 'all rules' : run.scope;
  return {
    text: truncate(`collected and evaluated ${scope} in ${elapsed} (${run.steps.length} steps${failed ? `, ${failed} failed` : ''})`, width),
    tone: 'dim',
  };
}

function summaryLine(s: TuiState, width: number): Line {
  const r = s.report;
  if (!r) return { text: runActive(s) ? 'checks running…' : 'no result yet', tone: 'dim' };
  const m = r.summary;
  const counts = `pass ${m.pass} · warn ${m.warn} · fail ${m.fail} · skip ${m.skip} · error ${m.error}${m.waived ? ` · waived ${m.waived}` : ''}`;
  const verdict = r.verdict.toUpperCase();
  const tone: Tone = r.verdict === 'pass' ? 'ok' : r.verdict === 'fail' ? 'bad' : 'accent';
  return { text: truncate(`${counts} — ${verdict} (exit ${r.exitCode})`, width), tone, bold: true };
}

function ListView({ s, spin, color, now }: { s: TuiState; spin: string; color: boolean; now: number }) {
  const rows = visibleRows(s);
  const cap = listCapacity(s);
  const shown = rows.slice(s.scroll, s.scroll + cap);
  const sel = selectedIndex(s);
  const more = rows.length > cap ? `  [${s.scroll + 1}–${s.scroll + shown.length} of ${rows.length}]` : '';
  const path = s.report?.accessPath ? ` · ${s.report.accessPath.kind.toUpperCase()} path` : '';
  const title = `acr-preflight — ${pluralRules(rows.length, s.filter)}${path}${more}`;
  const status = provisionStatus(s, spin);
  const hint = s.quitPending ? QUIT_PROMPT : s.notice ?? status ?? '↑↓ move  Enter open  r re-run  R all  f filter  p provision  ? keys  q quit';
  const hintTone: Tone = s.quitPending || s.notice ? 'warn' : status ? 'accent' : 'dim';
  return (
    <Box flexDirection="column">
      <Row line={{ text: truncate(title, s.width), bold: true, tone: 'heading' }} color={color} />
      <Row line={collectLine(s, spin, s.width, now)} color={color} />
      {shown.map((r, i) => (
        <Row key={r.id} line={ruleLine(r, s.scroll + i === sel, s.width, spin, color)} color={color} />
      ))}
      <Row line={summaryLine(s, s.width)} color={color} />
      <Row line={{ text: truncate(hint, s.width), tone: hintTone }} color={color} />
    </Box>
  );
}

/** A page's footer: the quit question or a notice (a refused key) before the page's own key hint. */
function footerOf(s: TuiState, hint: string): { text: string; tone?: Tone } {
  if (s.quitPending) return { text: QUIT_PROMPT, tone: 'warn' };
  if (s.notice) return { text: s.notice, tone: 'warn' };
  return { text: hint };
}

function Paged({ lines, scroll, height, footer, color, width }: { lines: Line[]; scroll: number; height: number; footer: string | { text: string; tone?: Tone }; color: boolean; width: number }) {
  const cap = Math.max(3, height - 2);
  const start = Math.min(scroll, Math.max(0, lines.length - cap));
  const shown = lines.slice(start, start + cap);
  const pos = lines.length > cap ? `  (${start + 1}–${start + shown.length} of ${lines.length})` : '';
  const f = typeof footer === 'string' ? { text: footer } : footer;
  return (
    <Box flexDirection="column">
      {shown.map((l, i) => (
        <Row key={start + i} line={l} color={color} />
      ))}
      <Row line={{ text: truncate(f.text + pos, width), tone: f.tone ?? 'dim' }} color={color} />
    </Box>
  );
}

function HelpView({ s, color }: { s: TuiState; color: boolean }) {
  const lines: Line[] = [{ text: 'Keys', tone: 'heading', bold: true }];
  for (const [k, v] of KEY_HELP) lines.push({ text: truncate(`  ${k.padEnd(16)} ${v}`, s.width) });
  lines.push({ text: '' }, { text: 'Any key closes this help.', tone: 'dim' });
  return <Paged lines={lines} scroll={0} height={s.height} footer={footerOf(s, '')} color={color} width={s.width} />;
}

export function detailPageSize(s: TuiState): number {
  return Math.max(3, s.height - 2);
}

/** The detail page's rows for the selected rule (empty unless the detail view is open). */
function detailOf(s: TuiState, session: TuiSession): Line[] {
  if (s.view !== 'detail' || !s.selected) return [];
  const row = s.rows.find((r) => r.id === s.selected);
  const docs = session.source.docs(s.selected);
  return detailLines({
    ruleId: s.selected,
    title: row?.title ?? s.selected,
    rowStatus: row?.status ?? 'pending',
    ...(row?.result ? { result: row.result } : {}),
    ...(s.report ? { report: s.report } : {}),
    ...(docs !== undefined ? { docs } : {}),
    width: s.width,
  });
}

/** How far the provision page scrolls and where it is (a plan reads from the top, a run follows its tail). */
function provisionPageOf(s: TuiState): { max: number; at: number } {
  const lines = s.view === 'provision' ? provisionLines(s.provision, s.width, '*') : [];
  const max = Math.max(0, lines.length - detailPageSize(s));
  const auto = s.provision.phase === 'confirm' ? 0 : max;
  return { max, at: Math.min(max, s.provisionScroll ?? auto) };
}

export function App({ session, color, width, height, onExit, autoStart = true }: AppProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const size = () => ({ width: width ?? stdout?.columns ?? 80, height: height ?? stdout?.rows ?? 24 });
  const [s, dispatch] = useReducer(reduce, undefined, () =>
    initialState({ rules: [...session.source.rules], ...size(), provisionAvailable: Boolean(session.source.provision) }),
  );
  const exited = useRef(false);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const off = session.subscribe((e) => {
      dispatch(e);
      setNow(Date.now());
    });
    if (autoStart) void session.runChecks();
    return () => {
      off();
    };
  }, [session]);

  useEffect(() => {
    if (width !== undefined && height !== undefined) return;
    const onResize = () => dispatch({ type: 'resize', ...size() });
    stdout?.on('resize', onResize);
    return () => {
      stdout?.off('resize', onResize);
    };
  }, [stdout, width, height]);

  const busy = runActive(s) || provisionBusy(s) || s.provision.phase === 'applying';
  const spin = useSpinner(busy, color);
  useEffect(() => {
    if (!busy) return;
    const t = setInterval(() => setNow(Date.now()), color ? 100 : 1000);
    return () => clearInterval(t);
  }, [busy, color]);

  const detail = useMemo(() => detailOf(s, session), [s.view, s.selected, s.rows, s.report, s.width, session]);

  const finish = (kind: TuiExit['kind']) => {
    if (exited.current) return;
    exited.current = true;
    session.close(Object.assign(new Error(kind === 'interrupt' ? 'interrupted' : 'quit'), { code: 'ERR_INTERRUPTED' }));
    const note = session.interruptedNote;
    onExit({ kind, ...(session.report ? { report: session.report } : {}), ...(note ? { note } : {}) });
    exit();
  };

  const provisionPage = useMemo(() => provisionPageOf(s), [s.view, s.provision, s.width, s.height, s.provisionScroll]);

  // keys can arrive between a render and ink re-subscribing the handler: read the latest state
  const latest = useRef({ s, detail, provisionPage });
  latest.current = { s, detail, provisionPage };

  useInput((input, key) => {
    // several keys in one input ("jjj"): each is read against the state the previous ones made
    for (const k of splitKeys(input, key)) {
      if (exited.current) return;
      handleKey(k.input, k.key);
    }
  });

  const apply = (action: UiAction) => {
    dispatch(action);
    const cur = latest.current;
    const s2 = reduce(cur.s, action);
    latest.current = { s: s2, detail: s2.view === cur.s.view && s2.selected === cur.s.selected ? cur.detail : detailOf(s2, session), provisionPage: provisionPageOf(s2) };
  };

  const handleKey = (input: string, key: Parameters<typeof keyIntent>[2]) => {
    const { s, detail, provisionPage } = latest.current;
    const intent = keyIntent(s, input, key, {
      detailMax: Math.max(0, detail.length - detailPageSize(s)),
      page: detailPageSize(s) - 1,
      provisionMax: provisionPage.max,
      provisionAt: provisionPage.at,
    });
    if (!intent) return;
    switch (intent.kind) {
      case 'ui':
        apply(intent.action);
        return;
      case 'quit':
        finish('quit');
        return;
      case 'interrupt':
        finish('interrupt');
        return;
      case 'rerun':
        if (session.busy) {
          apply({ type: 'busy' });
          return;
        }
        if (s.view !== 'list' && s.view !== 'detail') return;
        void session.runChecks(intent.ruleId);
        return;
      case 'provision-start': {
        const gate = provisionGate(s);
        if (!gate.ok) {
          apply({ type: 'notice', text: gate.reason });
          if (s.view === 'detail') apply({ type: 'back' });
          return;
        }
        if (provisionBusy(s) || s.provision.phase === 'confirm') {
          apply({ type: 'show-provision' });
          return;
        }
        void session.planProvision();
        return;
      }
      case 'provision-confirm':
        void session.applyProvision();
        return;
      case 'provision-decline':
        session.declineProvision(); // emits provision-cancelled: back to the list with a notice
        return;
    }
  };

  if (s.view === 'help') return <HelpView s={s} color={color} />;
  if (s.view === 'detail') {
    return (
      <Paged
        lines={detail}
        scroll={s.detailScroll}
        height={s.height}
        footer={footerOf(s, 'Esc back  ↑↓ scroll  r re-run this rule  q quit')}
        color={color}
        width={s.width}
      />
    );
  }
  if (s.view === 'provision') {
    const lines = provisionLines(s.provision, s.width, spin);
    // the plan reads from the top; a running provision follows its newest lines unless scrolled back
    const phase = s.provision.phase;
    const hint =
      phase === 'confirm'
        ? 'Apply this plan? y yes  n no  ↑↓ scroll  q quit'
        : phase === 'done' || phase === 'failed'
          ? 'p plan again  Esc back to the checks  ↑↓ scroll  q quit'
          : 'Esc back to the checks  ↑↓ scroll  q quit';
    const footer = footerOf(s, hint);
    return <Paged lines={lines} scroll={provisionPage.at} height={s.height} footer={footer} color={color} width={s.width} />;
  }
  return <ListView s={s} spin={spin} color={color} now={now} />;
}
