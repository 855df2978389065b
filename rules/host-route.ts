// host-route: on the GitLab host, replies to 100.104.0.0/16 leave through the VPC interface, and no
// local firewall rule drops them. Docker bridges, Tailscale and CNI plugins often claim 100.64/10.
import type { Rule, RuleOutcome } from '../src/engine/types.js';

export const rule: Rule = {
  id: 'host-route',
  title: 'GitLab host routes 100.104.0.0/16 out of its VPC interface',
  severity: 'error',
  description: 'Read over SSH on the GitLab host: `ip route get` for addresses across 100.104.0.0/16 must leave through the VPC-facing interface, and no iptables/nft rule may drop or reject them. A Docker bridge, Tailscale (100.64.0.0/10) or a CNI network on that range swallows the replies.',
  needs: ['hosts.gitlabHost'],
  messages: {
    ok: 'On {{host}}, 100.104.0.0/16 leaves via {{dev}} (the VPC interface) and no firewall rule drops it.',
    swallowed: 'On {{host}}, replies to {{target}} leave via {{dev}}, not the VPC interface {{vpcDev}}: {{output}}',
    unroutable: 'On {{host}}, {{target}} is {{type}}: {{output}}',
    firewall: 'On {{host}}, a firewall rule drops traffic from or to 100.104.0.0/16: {{line}}',
    unknownInterface: 'On {{host}}, 100.104.0.0/16 leaves via {{dev}}, but the VPC interface could not be identified.',
  },
  remediation: {
    route: 'Move the network that claims 100.104.0.0/16 on {{host}} (device {{dev}}): for Docker set "bip"/"default-address-pools" in /etc/docker/daemon.json to another range; for Tailscale avoid the CGNAT route (`tailscale up --netfilter-mode=off` or a more specific route via {{vpcDev}}); or add `ip route add 100.104.0.0/16 dev {{vpcDev}} via <VPC gateway>`.',
    firewall: 'Remove or narrow the rule on {{host}}: {{line}} (iptables -D … / nft delete rule …), and make the change persistent.',
    confirm: 'Check with `ip -o route get 100.104.0.1` and `ip -o addr` on {{host}} which interface faces the VPC.',
  },
  check(ctx): RuleOutcome {
    const h = ctx.need(ctx.facts.hosts.gitlabHost, 'GitLab host SSH read');
    const evidence = [
      { label: 'routes', value: h.routes.map((r) => `${r.target}: ${r.output}`), source: ctx.facts.hosts.gitlabHost.source },
      { label: 'interfaces', value: h.interfaces.map((i) => `${i.name} ${i.addresses.join(' ')}`), source: ctx.facts.hosts.gitlabHost.source },
      ...(h.firewallLines.length ? [{ label: 'firewall lines touching 100.104.0.0/16', value: h.firewallLines, source: ctx.facts.hosts.gitlabHost.source }] : []),
    ];
    const hop = (verdict: 'allow' | 'drop' | 'unknown', detail: string) => [{ hop: 'host' as const, direction: 'reply' as const, id: h.host, verdict, detail }];
    const vpcDev = h.vpcInterface ?? '?';
    for (const r of h.routes) {
      const first = r.output.trim().split(/\s+/)[0] ?? '';
      if (/^(unreachable|blackhole|prohibit|throw)$/.test(first) || /unreachable/i.test(r.output)) {
        return { status: 'fail', messageId: 'unroutable', data: { host: h.host, target: r.target, type: first || 'unreachable', output: r.output, dev: r.dev ?? '-', vpcDev }, evidence, remediationId: 'route', hops: hop('drop', `${r.target} ${first}`) };
      }
      if (h.vpcInterface && r.dev && r.dev !== h.vpcInterface) {
        return { status: 'fail', messageId: 'swallowed', data: { host: h.host, target: r.target, dev: r.dev, vpcDev, output: r.output }, evidence, remediationId: 'route', hops: hop('drop', `${r.target} via ${r.dev}`) };
      }
    }
    const line = h.firewallLines[0];
    if (line) return { status: 'fail', messageId: 'firewall', data: { host: h.host, line }, evidence, remediationId: 'firewall', hops: hop('drop', line) };
    const dev = h.routes[0]?.dev ?? '?';
    if (!h.vpcInterface) return { status: 'warn', messageId: 'unknownInterface', data: { host: h.host, dev }, evidence, remediationId: 'confirm', hops: hop('unknown', `via ${dev}`) };
    return { status: 'pass', messageId: 'ok', data: { host: h.host, dev }, evidence, hops: hop('allow', `via ${dev}`) };
  },
};
