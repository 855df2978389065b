// vbr-return-route: data-center case. Replies from GitLab in the IDC reach the builder only if the
// VBR routes 100.104.0.0/16 toward the VPC. Longest prefix match decides per sub-range; a route
// whose next hop is the VBR's own VLAN interface points back to the data center.
import type { RouteEntry } from '../src/facts/types.js';
import type { FactPatch, Fix, Rule, RuleOutcome } from '../src/engine/types.js';
import { REVERSE_RANGE, REVERSE_RANGE_CIDR, cidrToRange, intersect, isCidr, normalize, prefixLength, subtract, type Range } from '../src/net/cidr.js';
import { cidrList } from './lib/sg.js';

interface Piece { ranges: Range[]; entry: RouteEntry }

/** Longest-prefix match of every address of `target` over `entries`. */
export function longestPrefixMatch(entries: RouteEntry[], target: Range[]): { pieces: Piece[]; unrouted: Range[] } {
  const sorted = entries
    .filter((e) => isCidr(e.destinationCidrBlock))
    .sort((a, b) => prefixLength(b.destinationCidrBlock) - prefixLength(a.destinationCidrBlock));
  let remaining = normalize(target);
  const pieces: Piece[] = [];
  for (const entry of sorted) {
    if (!remaining.length) break;
    const hit = intersect(remaining, [cidrToRange(entry.destinationCidrBlock)]);
    if (!hit.length) continue;
    pieces.push({ ranges: hit, entry });
    remaining = subtract(remaining, hit);
  }
  return { pieces, unrouted: remaining };
}

function hopsOf(e: RouteEntry): string {
  return e.nextHops.map((h) => `${h.nextHopType} ${h.nextHopId}`).join(', ') || 'no next hop';
}

export const rule: Rule = {
  id: 'vbr-return-route',
  title: 'VBR routes 100.104.0.0/16 back toward the VPC',
  severity: 'error',
  description:
    'With GitLab in a data center behind Express Connect, the VBR must route replies for 100.104.0.0/16 toward the VPC. Longest prefix match decides for every sub-range; the entry must be Available and must not point back to the VBR\'s own VLAN interface.',
  dependsOn: ['vpc-vswitch'],
  needs: ['cloud.vbr', 'cloud.vbrRouteEntries'],
  paths: ['idc'],
  messages: {
    ok: 'VBR {{vbr}} routes 100.104.0.0/16 toward the VPC ({{routes}}).',
    vbrInactive: 'VBR {{vbr}} is {{status}}, not active.',
    vbrNotFound: 'The configured VBR does not exist: {{detail}}.',
    unrouted: 'VBR {{vbr}} route table {{table}} has no route for {{ranges}}; replies to those builders are lost.',
    backToIdc: 'VBR {{vbr}} routes {{ranges}} via {{entry}} to its own VLAN interface {{vlan}}, i.e. back to the data center.',
    notAvailable: 'VBR {{vbr}} route {{entry}} for {{ranges}} is {{status}}, not Available.',
    noNextHop: 'VBR {{vbr}} route {{entry}} for {{ranges}} has no next hop.',
  },
  remediation: {
    vbrId: 'Correct datacenter.vbrId in preflight.yaml (or ACR_PREFLIGHT_DATACENTER_VBR_ID) to the VBR of the Express Connect circuit, as listed by `aliyun vpc DescribeVirtualBorderRouters --RegionId {{region}}`.',
    add:
      'Give the VBR route table {{table}} a route for {{ranges}} toward the VPC. It cannot be added as a custom route entry: CreateRouteEntry refuses destinations inside 100.64.0.0/10 ("cannot be 100.64.0.0/10 or a subset of it"), and 100.104.0.0/16 lies inside it. What works:\n' +
      '  - learned routes: attach VBR {{vbr}} and the VPC to the same CEN transit router or Express Connect Router, so the routes toward the VPC are advertised to the VBR; check them in the Express Connect console: Virtual Border Routers → {{vbr}} → Routes.\n' +
      '  - if no learned route covers {{ranges}}: the ACR documentation requires "a return route for 100.104.0.0/16 in the virtual border router (VBR)" but documents no API for it; open a ticket with Alibaba Cloud support for VBR {{vbr}} quoting that page (Container Registry → Build container images in a VPC).\n' +
      'Then run check again: the entry must be Available and lead toward the VPC.',
    fix: 'Change route {{entry}} so that {{ranges}} goes toward the VPC, not to {{vlan}} (delete it or replace its next hop); more specific routes win over 100.104.0.0/16.',
    wait: 'Wait for route {{entry}} to become Available, or recreate it if it stays {{status}}.',
    active: 'The VBR must be active: check the physical connection and the VBR status in the Express Connect console.',
  },
  check(ctx): RuleOutcome {
    const vf = ctx.facts.cloud.vbr;
    // a VBR id the API does not know is a typo the config fixes, not an undecided rule
    if (vf.state === 'unavailable' && vf.reason === 'not-found') return { status: 'fail', messageId: 'vbrNotFound', data: { detail: vf.message, region: ctx.facts.input.region }, remediationId: 'vbrId' };
    const vbr = ctx.need(vf, 'VBR');
    const entries = ctx.need(ctx.facts.cloud.vbrRouteEntries, 'VBR route entries');
    const base = { vbr: vbr.vbrId, table: vbr.routeTableId ?? '?', region: ctx.facts.input.region, vlan: vbr.vlanInterfaceId ?? '?' };
    if (vbr.status.toLowerCase() !== 'active') {
      return { status: 'fail', messageId: 'vbrInactive', data: { ...base, status: vbr.status }, remediationId: 'active', hops: [{ hop: 'vbr', direction: 'reply', id: vbr.vbrId, verdict: 'drop', detail: `VBR ${vbr.status}` }] };
    }
    const { pieces, unrouted } = longestPrefixMatch(entries, [REVERSE_RANGE]);
    const evidence = pieces.map((p) => ({
      label: `${cidrList(p.ranges)} → ${p.entry.destinationCidrBlock}`,
      value: `${p.entry.type} ${p.entry.status} via ${hopsOf(p.entry)}`,
      source: `vpc:DescribeRouteEntryList ${vbr.routeTableId ?? ''}`.trim(),
    }));
    // the path table shows a phrase, not the message id
    const HOP_DETAIL: Record<string, string> = { unrouted: 'no route', noNextHop: 'route without a next hop', backToIdc: 'routed back to the data center', notAvailable: 'route not available' };
    const toVpc = entries.find((e) => e.nextHops.length && !e.nextHops.some((h) => h.nextHopId === vbr.vlanInterfaceId) && e.nextHops.some((h) => h.nextHopType === 'RouterInterface'))?.nextHops ?? [{ nextHopType: 'RouterInterface', nextHopId: '<router interface toward the VPC>' }];
    const fixes = routeFixes(entries, vbr.vlanInterfaceId, toVpc);
    const drop = (messageId: string, remediationId: string, data: Record<string, string | number>) => ({
      status: 'fail' as const, messageId, remediationId, evidence, data: { ...base, ...data }, fixes,
      hops: [{ hop: 'vbr' as const, direction: 'reply' as const, id: vbr.vbrId, verdict: 'drop' as const, detail: `${data.ranges}: ${HOP_DETAIL[messageId] ?? messageId}` }],
    });
    if (unrouted.length) return drop('unrouted', 'add', { ranges: cidrList(unrouted) });
    for (const p of pieces) {
      const e = p.entry;
      const data = { ranges: cidrList(p.ranges), entry: e.routeEntryId ?? e.destinationCidrBlock, status: e.status };
      if (e.nextHops.length === 0) return drop('noNextHop', 'fix', data);
      if (vbr.vlanInterfaceId && e.nextHops.some((h) => h.nextHopId === vbr.vlanInterfaceId)) return drop('backToIdc', 'fix', data);
      if (e.status.toLowerCase() !== 'available') return drop('notAvailable', 'wait', data);
    }
    const routes = pieces.map((p) => `${p.entry.destinationCidrBlock} via ${hopsOf(p.entry)}`).join('; ');
    return { status: 'pass', messageId: 'ok', data: { ...base, routes }, evidence, hops: [{ hop: 'vbr', direction: 'reply', id: vbr.vbrId, verdict: 'allow', detail: routes }] };
  },
};

/**
 * Route 100.104.0.0/16 toward the VPC and take away every more specific route inside it that does
 * not: longest prefix match lets those win over the /16. The VPC API refuses custom routes inside
 * 100.64.0.0/10, so the change is made where the VBR learns its routes (see the rule's fix text).
 */
function routeFixes(entries: RouteEntry[], vlan: string | undefined, toVpc: RouteEntry['nextHops']): Fix[] {
  const inside = entries.filter((e) => isCidr(e.destinationCidrBlock) && prefixLength(e.destinationCidrBlock) > 16 && intersect([REVERSE_RANGE], [cidrToRange(e.destinationCidrBlock)]).length > 0 && subtract([cidrToRange(e.destinationCidrBlock)], [REVERSE_RANGE]).length === 0);
  const wrong = inside.filter((e) => e.nextHops.length === 0 || (vlan && e.nextHops.some((h) => h.nextHopId === vlan)) || e.status.toLowerCase() !== 'available');
  const patches: FactPatch[] = [
    ...wrong.map((e): FactPatch => ({ op: 'remove-vbr-route', destinationCidrBlock: e.destinationCidrBlock })),
    { op: 'set-vbr-route', destinationCidrBlock: REVERSE_RANGE_CIDR, nextHops: toVpc },
  ];
  return [{
    title: `${wrong.length ? `Withdraw ${wrong.map((e) => e.destinationCidrBlock).join(', ')} and route` : 'Route'} ${REVERSE_RANGE_CIDR} from the VBR toward the VPC (${toVpc.map((h) => `${h.nextHopType} ${h.nextHopId}`).join(', ')})`,
    why: 'replies to the builders must leave the VBR toward the VPC (vbr-return-route)',
    patches,
    steps: [
      ...wrong.map((e) => `stop announcing ${e.destinationCidrBlock} to the VBR (or delete that route entry): a more specific route wins over ${REVERSE_RANGE_CIDR}`),
      `make the VBR route ${REVERSE_RANGE_CIDR} toward the VPC as the rule's fix text says (the VPC API refuses a custom route entry inside 100.64.0.0/10)`,
    ],
  }];
}
