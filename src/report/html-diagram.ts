// The path diagram: an SVG drawn from the report's path model. The request lane runs from the ACR
// builder (100.104.0.0/16) to GitLab, the reply lane back; one box per hop with its resource id,
// coloured by verdict, the first drop (the hop the JSON report's path names first) marked "blocked
// here" with what decided it. Hops whose rule was skipped or could not decide are drawn as such.
// Boxes sit on a fixed grid (4 per row, wrapping), so any number of hops and any id length lay out
// without overlap; long text is wrapped/ellipsized and kept whole in each box's <title>.
import type { Hop, HopKind, Report, RuleResult } from '../engine/types.js';
import { anchor, ellipsize, esc, wrapText } from './html-kit.js';

export const HOP_LABEL: Record<HopKind, string> = {
  'builder-eni': 'Link ENI (builder egress)',
  vpc: 'VPC routing',
  slb: 'SLB listener + ACL',
  'security-group': 'Security groups',
  'network-acl-in': 'Network ACL (inbound)',
  host: 'GitLab host routing',
  gitlab: 'GitLab',
  'network-acl-out': 'Network ACL (outbound)',
  vbr: 'VBR return route',
  'idc-router': 'Data-center router',
};

/** Which rule draws which hop, and in which direction (for hops a skipped rule did not draw). */
const HOP_SOURCE: Record<HopKind, { ruleId: string; direction: Hop['direction'] }> = {
  'builder-eni': { ruleId: 'link-present', direction: 'request' },
  vpc: { ruleId: 'reverse-cidr-overlap', direction: 'reply' },
  slb: { ruleId: 'slb-listener', direction: 'request' },
  'security-group': { ruleId: 'sg-ingress', direction: 'request' },
  'network-acl-in': { ruleId: 'nacl-ingress', direction: 'request' },
  host: { ruleId: 'host-route', direction: 'reply' },
  gitlab: { ruleId: 'gitlab-reachable', direction: 'request' },
  'network-acl-out': { ruleId: 'nacl-ingress', direction: 'reply' },
  vbr: { ruleId: 'vbr-return-route', direction: 'reply' },
  'idc-router': { ruleId: 'idc-return-route', direction: 'reply' },
};

/** Display order per lane: the way a packet travels (replies leave the host, then the VPC or the IDC). */
const REQUEST_ORDER: readonly HopKind[] = ['builder-eni', 'vpc', 'slb', 'security-group', 'network-acl-in', 'gitlab'];
const REPLY_ORDER: readonly HopKind[] = ['host', 'network-acl-out', 'idc-router', 'vbr', 'vpc', 'builder-eni', 'slb', 'security-group', 'network-acl-in', 'gitlab'];

export type NodeState = 'allow' | 'drop' | 'unknown' | 'skip' | 'error' | 'endpoint';

export interface DiagramNode {
  /** index into report.path; undefined for endpoints and placeholders */
  hopIndex?: number;
  kind: HopKind | 'builder' | 'gitlab-endpoint';
  label: string;
  id: string;
  state: NodeState;
  detail: string;
  ruleId?: string;
  blocked?: boolean;
}

export interface DiagramModel {
  request: DiagramNode[];
  reply: DiagramNode[];
  /** the first drop of report.path (what blocks), or undefined */
  blocked?: { node: DiagramNode; hop: Hop; result?: RuleResult };
}

/** the index in report.path of the hop that blocks: the first drop, as in the JSON report */
export function blockedHopIndex(path: readonly Hop[]): number {
  return path.findIndex((h) => h.verdict === 'drop');
}

/** Build the lanes from the path model, with placeholders for hops their rule did not decide. */
export function diagramModel(report: Report, gitlabEndpoint?: string): DiagramModel {
  const blockedAt = blockedHopIndex(report.path);
  const byRule = new Map(report.results.map((r) => [r.ruleId, r]));
  const nodes: (DiagramNode & { direction: Hop['direction'] })[] = report.path.map((h, i) => ({
    hopIndex: i,
    kind: h.hop,
    label: HOP_LABEL[h.hop] ?? h.hop,
    id: h.id,
    state: h.verdict,
    detail: h.detail,
    direction: h.direction,
    ...(h.ruleId ? { ruleId: h.ruleId } : {}),
    ...(i === blockedAt ? { blocked: true } : {}),
  }));
  // a hop on this access path that no hop stands for, because its rule was skipped or undecided
  for (const kind of Object.keys(HOP_SOURCE) as HopKind[]) {
    const src = HOP_SOURCE[kind];
    const r = byRule.get(src.ruleId);
    if (!r || (r.status !== 'skip' && r.status !== 'error') || r.messageId.startsWith('$notApplicable') || r.messageId.startsWith('$path')) continue;
    if (nodes.some((n) => n.kind === kind)) continue;
    nodes.push({ kind, label: HOP_LABEL[kind], id: r.status === 'skip' ? 'skipped' : 'undecided', state: r.status, detail: r.message, direction: src.direction, ruleId: r.ruleId });
  }
  const lane = (dir: Hop['direction'], order: readonly HopKind[]) =>
    nodes
      .filter((n) => n.direction === dir)
      .map((n, i) => ({ n, i }))
      .sort((a, b) => order.indexOf(a.n.kind as HopKind) - order.indexOf(b.n.kind as HopKind) || (a.n.hopIndex ?? 99) - (b.n.hopIndex ?? 99) || a.i - b.i)
      .map(({ n: { direction: _d, ...n } }) => n as DiagramNode);
  const builder = (state: string): DiagramNode => ({ kind: 'builder', label: 'ACR builder', id: '100.104.0.0/16', state: 'endpoint', detail: state });
  const request = [builder('source of the request'), ...lane('request', REQUEST_ORDER)];
  if (!request.some((n) => n.kind === 'gitlab')) {
    request.push({ kind: 'gitlab-endpoint', label: 'GitLab', id: gitlabEndpoint ?? 'GitLab', state: 'endpoint', detail: 'destination (not probed)' });
  }
  const replyHops = lane('reply', REPLY_ORDER);
  const reply = replyHops.length ? [...replyHops, builder('destination of the reply')] : [];
  const model: DiagramModel = { request, reply };
  if (blockedAt >= 0) {
    const node = [...request, ...reply].find((n) => n.hopIndex === blockedAt)!;
    const hop = report.path[blockedAt]!;
    model.blocked = { node, hop, ...(hop.ruleId && byRule.get(hop.ruleId) ? { result: byRule.get(hop.ruleId)! } : {}) };
  }
  return model;
}

// geometry (SVG user units; the viewBox scales to the page width)
export const GEOMETRY = { width: 920, margin: 12, cols: 4, nodeW: 194, nodeH: 104, tag: 20, rowGap: 30, laneHead: 30 } as const;
const G = GEOMETRY;
const GAP_X = (G.width - 2 * G.margin - G.cols * G.nodeW) / (G.cols - 1);
const ID_CHARS = 25; // monospace 11.5px in 174px
const TEXT_CHARS = 27; // 11px proportional, conservatively
const CALLOUT_CHARS = 118;

const STATE_WORD: Record<NodeState, string> = { allow: 'ALLOW', drop: 'DROP', unknown: 'UNKNOWN', skip: 'SKIPPED', error: 'UNDECIDED', endpoint: '' };

function nodeSvg(n: DiagramNode, x: number, y: number, arrow: '→' | '←'): string {
  const ids = wrapText(n.id, ID_CHARS, 2);
  const word = n.blocked ? 'DROP · blocked here' : STATE_WORD[n.state] || n.detail;
  const title = `${n.label}: ${n.id} — ${n.state === 'endpoint' ? n.detail : `${STATE_WORD[n.state]}${n.detail ? `: ${n.detail}` : ''}`}${n.blocked ? ' (blocked here)' : ''}`;
  const href = n.hopIndex !== undefined ? `#${anchor('hop', n.hopIndex + 1)}` : n.ruleId ? `#${anchor('rule', n.ruleId)}` : undefined;
  const data = `data-kind="${esc(n.kind)}" data-state="${esc(n.state)}"${n.hopIndex !== undefined ? ` data-hop="${n.hopIndex}"` : ''}${n.blocked ? ' data-blocked="true"' : ''}`;
  const t = (dy: number, cls: string, s: string) => `<text x="${x + 10}" y="${y + dy}" class="${cls}">${esc(s)}</text>`;
  const inner =
    `<title>${esc(title)}</title>` +
    `<rect class="box" x="${x}" y="${y}" width="${G.nodeW}" height="${G.nodeH}" rx="8"/>` +
    t(18, 'nl', `${n.state === 'endpoint' ? '' : `${arrow} `}${ellipsize(n.label, TEXT_CHARS - 2)}`) +
    ids.map((line, i) => t(37 + i * 15, 'ni', line)).join('') +
    t(76, 'nv', ellipsize(word, TEXT_CHARS)) +
    (n.state === 'endpoint' ? '' : t(94, 'nd', ellipsize(n.detail, TEXT_CHARS + 3))) +
    (n.blocked
      ? `<rect class="tag" x="${x}" y="${y - G.tag}" width="112" height="${G.tag - 3}" rx="4"/><text class="tagt" x="${x + 8}" y="${y - 7}">BLOCKED HERE</text>`
      : '');
  const g = `<g class="node s-${esc(n.state)}${n.blocked ? ' blocked' : ''}" ${data}>${inner}</g>`;
  return href ? `<a href="${esc(href)}" aria-label="${esc(title)}">${g}</a>` : g;
}

interface Drawn {
  svg: string[];
  y: number;
}

function laneSvg(out: Drawn, title: string, nodes: readonly DiagramNode[], arrow: '→' | '←'): void {
  out.svg.push(`<text class="lane" x="${G.margin}" y="${out.y + 18}">${esc(title)}</text>`);
  out.y += G.laneHead;
  const rows = Math.ceil(nodes.length / G.cols);
  const pos = nodes.map((_, i) => ({ x: G.margin + (i % G.cols) * (G.nodeW + GAP_X), y: out.y + G.tag + Math.floor(i / G.cols) * (G.tag + G.nodeH + G.rowGap) }));
  nodes.forEach((n, i) => {
    const p = pos[i]!;
    if (i > 0) {
      const q = pos[i - 1]!;
      const cls = `edge${n.state === 'skip' || n.state === 'error' ? ' dashed' : ''}`;
      if (q.y === p.y) out.svg.push(`<path class="${cls}" d="M${q.x + G.nodeW + 2} ${p.y + G.nodeH / 2}H${p.x - 4}" marker-end="url(#arrowhead)"/>`);
      else {
        const mid = q.y + G.nodeH + G.rowGap / 2 + 2;
        out.svg.push(`<path class="${cls}" d="M${q.x + G.nodeW / 2} ${q.y + G.nodeH + 2}V${mid}H${p.x + G.nodeW / 2}V${p.y - 4}" marker-end="url(#arrowhead)"/>`);
      }
    }
    out.svg.push(nodeSvg(n, p.x, p.y, arrow));
  });
  out.y += rows * (G.tag + G.nodeH) + (rows - 1) * G.rowGap + 14;
}

/** The "blocked here" callout: the hop, what decided it, the uncovered ranges (as far as the rule says). */
export function blockedLines(m: DiagramModel): string[] {
  if (!m.blocked) return [];
  const { hop, result } = m.blocked;
  const lines = [`Blocked here: ${HOP_LABEL[hop.hop] ?? hop.hop} ${hop.id} (${hop.direction === 'request' ? 'request' : 'reply'} direction)`, `What decided: ${hop.detail}`];
  const d = result?.data ?? {};
  if (typeof d.decider === 'string' || typeof d.decider === 'number') lines.push(`Deciding rule: ${d.decider}`);
  if (typeof d.uncovered === 'string' || typeof d.uncovered === 'number') lines.push(`Not admitted: ${d.uncovered}${d.share !== undefined ? ` (${d.share} of 100.104.0.0/16)` : ''}${d.port !== undefined ? ` on tcp/${d.port}` : ''}`);
  if (result && lines.length === 2) lines.push(`Why: ${result.message}`);
  if (result) lines.push(`Rule ${result.ruleId} (${result.status}): its finding below has the evidence and the fix.`);
  return lines;
}

function calloutSvg(out: Drawn, m: DiagramModel): void {
  const wrapped = blockedLines(m).flatMap((l, i) => wrapText(l, CALLOUT_CHARS, i === 0 ? 3 : 4));
  if (!wrapped.length) return;
  const h = 16 + wrapped.length * 17;
  out.svg.push(
    `<g class="callout" data-callout="true"><rect x="${G.margin}" y="${out.y}" width="${G.width - 2 * G.margin}" height="${h}" rx="8"/>` +
      wrapped.map((l, i) => `<text x="${G.margin + 12}" y="${out.y + 22 + i * 17}"${i === 0 ? ' class="ch"' : ''}>${esc(l)}</text>`).join('') +
      '</g>',
  );
  out.y += h + 12;
}

export const DIAGRAM_CSS = `
figure.diagram{margin:0 0 1rem;padding:.5rem;border:1px solid var(--line);border-radius:8px;background:var(--panel)}
figure.diagram svg{display:block;width:100%;height:auto;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Helvetica,Arial,sans-serif}
figure.diagram figcaption{font-size:.85rem;color:var(--muted);padding:.3rem .3rem 0}
.node .box{fill:var(--bg);stroke:var(--line);stroke-width:1.5}
.node .nl{font-size:12px;font-weight:700;fill:var(--fg)}
.node .ni{font-size:11.5px;fill:var(--fg);font-family:ui-monospace,SFMono-Regular,"DejaVu Sans Mono",Menlo,Consolas,monospace}
.node .nv{font-size:11px;font-weight:700;letter-spacing:.03em}
.node .nd{font-size:11px;fill:var(--muted)}
.s-allow .box{fill:var(--pass-bg);stroke:var(--pass)}.s-allow .nv{fill:var(--pass)}
.s-drop .box{fill:var(--fail-bg);stroke:var(--fail)}.s-drop .nv{fill:var(--fail)}
.s-unknown .box{fill:var(--warn-bg);stroke:var(--warn)}.s-unknown .nv{fill:var(--warn)}
.s-skip .box{fill:var(--skip-bg);stroke:var(--skip);stroke-dasharray:5 4}.s-skip .nv{fill:var(--skip)}
.s-error .box{fill:var(--error-bg);stroke:var(--error);stroke-dasharray:5 4}.s-error .nv{fill:var(--error)}
.s-endpoint .box{fill:var(--panel);stroke:var(--accent)}.s-endpoint .nv{fill:var(--muted);font-weight:400}
.node.blocked .box{stroke-width:3.5}
.tag{fill:var(--fail)}.tagt{fill:#fff;font-size:11px;font-weight:800;letter-spacing:.06em}
.edge{fill:none;stroke:var(--muted);stroke-width:1.6}.edge.dashed{stroke-dasharray:4 4}
#arrowhead path{fill:var(--muted)}
.lane{font-size:13px;font-weight:700;fill:var(--muted);letter-spacing:.02em}
.callout rect{fill:var(--fail-bg);stroke:var(--fail);stroke-width:1.5}.callout text{font-size:12.5px;fill:var(--fg)}.callout .ch{font-weight:700;fill:var(--fail)}
svg a:focus{outline:none}svg a:focus-visible .box,svg a:hover .box{stroke:var(--focus);stroke-width:4}
`;

/** The diagram as an inline <svg>: nodes link to their row in the path table. */
export function diagramSvg(m: DiagramModel): string {
  const out: Drawn = { svg: [], y: 4 };
  laneSvg(out, 'Request: ACR builder → GitLab', m.request, '→');
  if (m.reply.length) laneSvg(out, 'Reply: GitLab → ACR builder', m.reply, '←');
  else {
    out.svg.push(`<text class="lane" x="${G.margin}" y="${out.y + 16}">Reply: no hop of the reply direction was checked on this path</text>`);
    out.y += G.laneHead;
  }
  calloutSvg(out, m);
  const hops = [...m.request, ...m.reply].filter((n) => n.hopIndex !== undefined).length;
  const label = `Path diagram: ${hops} hop${hops === 1 ? '' : 's'}${m.blocked ? `, blocked at ${HOP_LABEL[m.blocked.hop.hop] ?? m.blocked.hop.hop} ${m.blocked.hop.id}` : ', none blocks'}. The path table below lists every hop as text.`;
  const h = Math.ceil(out.y + 4);
  return (
    `<svg viewBox="0 0 ${G.width} ${h}" width="${G.width}" height="${h}" role="group" aria-label="${esc(label)}">` +
    '<defs><marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z"/></marker></defs>' +
    `${out.svg.join('')}</svg>`
  );
}
