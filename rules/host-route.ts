// host-route: on the GitLab host, replies to 100.104.0.0/16 leave through the VPC interface, and no
// local firewall rule drops them. Docker bridges, Tailscale and CNI plugins often claim 100.64/10.
import type { Rule, RuleOutcome } from '../src/engine/types.js';
import type { HostRouteRead } from '../src/facts/types.js';

/** Route types of `ip route get` that never deliver the packet. */
const UNROUTABLE = /^(unreachable|blackhole|prohibit|throw)$/;
/** A firewall line that drops or rejects (iptables `-j DROP|REJECT`, nft `drop|reject` verdicts). */
const DROPS = /(^|\s)(-j\s+)?(DROP|REJECT|drop|reject)(\s|$)/;

type Route = HostRouteRead['routes'][number];

function routeType(r: Route): string {
  const first = r.output.trim().split(/\s+/)[0] ?? '';
  if (UNROUTABLE.test(first)) return first;
  if (/unreachable/i.test(r.output) && !r.dev) return 'unreachable';
  return '';
}

export const rule: Rule = {
  id: 'host-route',
  title: 'GitLab host routes 100.104.0.0/16 out of its VPC interface',
  severity: 'error',
  description: 'Read over SSH on the GitLab host: `ip route get` for addresses across 100.104.0.0/16 must leave through the VPC-facing interface, and no iptables/nft rule may drop or reject them. A Docker bridge, Tailscale (100.64.0.0/10) or a CNI network on that range swallows the replies.',
  needs: ['hosts.gitlabHost'],
  messages: {
    ok: 'On {{host}}, 100.104.0.0/16 leaves via {{dev}} (the VPC interface) and no firewall rule drops it.',
    swallowed: 'On {{host}}, replies to {{targets}} leave via {{dev}}, not the VPC interface {{vpcDev}}: {{output}}',
    unroutable: 'On {{host}}, {{target}} is {{type}}: {{output}}',
    firewall: 'On {{host}}, {{n}} firewall rule(s) drop or reject traffic from or to 100.104.0.0/16: {{line}}',
    unknownInterface: 'On {{host}}, 100.104.0.0/16 leaves via {{dev}}, but the VPC interface could not be identified.',
  },
  remediation: {
    route: 'Move the network that claims 100.104.0.0/16 on {{host}} (device {{dev}}): for Docker set "bip"/"default-address-pools" in /etc/docker/daemon.json to another range; for Tailscale avoid the CGNAT route (`tailscale up --netfilter-mode=off` or a more specific route via {{vpcDev}}); or add `ip route add 100.104.0.0/16 dev {{vpcDev}} via <VPC gateway>`.',
    firewall: 'Remove or narrow the rule on {{host}}: {{line}} (iptables -D … / nft delete rule …), and make the change persistent.',
    confirm: 'Check with `ip -o route get 100.104.0.1` and `ip -o addr` on {{host}} which interface faces the VPC.',
  },
  check(ctx): RuleOutcome {
    const h = ctx.need(ctx.facts.hosts.gitlabHost, 'GitLab host SSH read');
    const src = ctx.facts.hosts.gitlabHost.source;
    const drops = h.firewallLines.filter((l) => DROPS.test(l));
    const evidence = [
      { label: 'routes', value: h.routes.map((r) => `${r.target}: ${r.output}`), source: src },
      { label: 'interfaces', value: h.interfaces.map((i) => `${i.name} ${i.addresses.join(' ')}`), source: src },
      { label: 'VPC interface', value: h.vpcInterface ?? 'unknown', source: src },
      ...(h.firewallLines.length ? [{ label: 'firewall lines touching 100.104.0.0/16', value: h.firewallLines, source: src }] : []),
    ];
    const hop = (verdict: 'allow' | 'drop' | 'unknown', detail: string) => [{ hop: 'host' as const, direction: 'reply' as const, id: h.host, verdict, detail }];
    const vpcDev = h.vpcInterface ?? '?';

    const dead = h.routes.find((r) => routeType(r));
    if (dead) {
      const type = routeType(dead);
      return { status: 'fail', messageId: 'unroutable', data: { host: h.host, target: dead.target, type, output: dead.output, dev: dead.dev ?? '-', vpcDev }, evidence, remediationId: 'route', hops: hop('drop', `${dead.target} ${type}`) };
    }
    // every route that leaves through another device, grouped by device
    const wrong = h.vpcInterface ? h.routes.filter((r) => r.dev && r.dev !== h.vpcInterface) : [];
    if (wrong.length) {
      const devs = [...new Set(wrong.map((r) => r.dev!))];
      const targets = wrong.map((r) => `${r.target} (${r.dev})`).join(', ');
      return {
        status: 'fail',
        messageId: 'swallowed',
        data: { host: h.host, targets, dev: devs.join(', '), vpcDev, output: wrong[0]!.output, n: wrong.length },
        evidence,
        remediationId: 'route',
        hops: hop('drop', `${wrong.map((r) => r.target).join(', ')} via ${devs.join(', ')}`),
      };
    }
    if (drops.length) {
      return { status: 'fail', messageId: 'firewall', data: { host: h.host, line: drops.join(' | '), n: drops.length }, evidence, remediationId: 'firewall', hops: hop('drop', drops[0]!) };
    }
    const dev = h.routes.find((r) => r.dev)?.dev ?? '?';
    if (!h.vpcInterface) return { status: 'warn', messageId: 'unknownInterface', data: { host: h.host, dev }, evidence, remediationId: 'confirm', hops: hop('unknown', `via ${dev}`) };
    return { status: 'pass', messageId: 'ok', data: { host: h.host, dev }, evidence, hops: hop('allow', `via ${dev}`) };
  },
};
