// host-route: on the GitLab host, replies to 100.104.0.0/16 leave through the VPC interface, and no
// local firewall rule drops them. Docker bridges, Tailscale and CNI plugins often claim 100.64/10.
//
// The VPC interface is the one that holds GitLab's address (the endpoint address, or on the SLB path
// one of the SLB's backend addresses). A host that holds none of them is not the GitLab host: its
// default-route device is not taken for "the VPC interface". A firewall that could not be read
// (not root, sudo -n refused, timeout) leaves the firewall part undecided, never clean.
import type { Rule, RuleContext, RuleOutcome } from '../src/engine/types.js';
import type { FirewallToolRead, HostRouteRead } from '../src/facts/types.js';

/** Route types of `ip route get` that never deliver the packet. */
const UNROUTABLE = /^(unreachable|blackhole|prohibit|throw)$/;
/** A firewall line that drops or rejects (iptables `-j DROP|REJECT`, nft `drop|reject` verdicts). */
const DROPS = /(^|\s)(-j\s+)?(DROP|REJECT|drop|reject)(\s|$)/;
/** Where the collector looks for the tools besides the user's PATH. */
const SBIN_NOTE = 'not on PATH nor in /usr/local/sbin, /usr/sbin, /sbin';

type Route = HostRouteRead['routes'][number];

function routeType(r: Route): string {
  const first = r.output.trim().split(/\s+/)[0] ?? '';
  if (UNROUTABLE.test(first)) return first;
  if (/unreachable/i.test(r.output) && !r.dev) return 'unreachable';
  return '';
}

/** GitLab's addresses the host must hold: the endpoint address, and on the SLB path its backends. */
function gitlabAddresses(ctx: RuleContext): { addresses: string[]; label: string } {
  const address = ctx.path.address;
  if (!address) return { addresses: [], label: '' };
  if (ctx.path.kind !== 'slb') return { addresses: [address], label: address };
  const lbs = ctx.facts.cloud.loadBalancers;
  const all = lbs.state === 'ok' ? lbs.value : [];
  const mine = all.filter((lb) => lb.address === address);
  const backends = [...new Set((mine.length ? mine : all).flatMap((lb) => lb.backends.map((b) => b.serverIp)).filter((ip): ip is string => Boolean(ip)))];
  return {
    addresses: [address, ...backends],
    label: backends.length ? `${address} (SLB) or one of its backends ${backends.join(', ')}` : `${address} (SLB; no backend address known)`,
  };
}

type FirewallVerdict =
  | { state: 'read'; noTools: boolean }
  | { state: 'undecided'; cause: 'permission-denied' | 'timeout' | 'error' | 'not-recorded'; tools: string; reason: string };

function toolReadable(r: FirewallToolRead): boolean {
  return r.outcome === 'read' || r.sudo?.outcome === 'read';
}

function describeTool(r: FirewallToolRead, who: string): string {
  if (r.outcome === 'not-installed') return `${r.tool}: not installed (${SBIN_NOTE})`;
  if (r.outcome === 'read') return `${r.command}: read`;
  if (r.sudo?.outcome === 'read') return `${r.command}: read (the direct read as ${who} was refused)`;
  const what = r.outcome === 'permission-denied' ? `permission denied as ${who}` : r.outcome === 'timeout' ? 'timed out' : 'failed';
  const exit = r.exitCode !== undefined && r.exitCode !== null ? `, exit ${r.exitCode}` : '';
  let s = `${r.path ?? r.tool}: ${what}${exit}${r.stderr ? ` (${r.stderr})` : ''}`;
  if (r.sudo) {
    const sudoWhat = { read: 'read', refused: 'refused', 'not-installed': 'sudo is not installed', timeout: 'timed out', error: 'failed' }[r.sudo.outcome];
    s += `; sudo -n: ${sudoWhat}${r.sudo.stderr ? ` (${r.sudo.stderr})` : ''}`;
  } else if (r.outcome === 'permission-denied') s += /\(uid 0\)$/.test(who) || who === 'root' ? '; no sudo -n retry (already root)' : '; no sudo -n retry (probe.gitlabHost.sudo is not set)';
  return s;
}

function judgeFirewall(h: HostRouteRead, who: string): FirewallVerdict {
  if (!h.firewall) {
    return {
      state: 'undecided',
      cause: 'not-recorded',
      tools: 'iptables-save, nft',
      reason: 'this snapshot does not record whether iptables-save and nft could be read (it was collected by an older version, which showed an unreadable firewall as an empty one)',
    };
  }
  const unread = h.firewall.filter((r) => r.outcome !== 'not-installed' && !toolReadable(r));
  if (unread.length) {
    const first = unread[0]!;
    return {
      state: 'undecided',
      cause: first.outcome === 'permission-denied' || first.outcome === 'timeout' ? first.outcome : 'error',
      tools: unread.map((r) => r.tool).join(', '),
      reason: unread.map((r) => describeTool(r, who)).join('; '),
    };
  }
  return { state: 'read', noTools: h.firewall.every((r) => r.outcome === 'not-installed') };
}

export const rule: Rule = {
  id: 'host-route',
  title: 'GitLab host routes 100.104.0.0/16 out of its VPC interface',
  severity: 'error',
  description: 'Read over SSH on the GitLab host: `ip route get` for addresses across 100.104.0.0/16 must leave through the VPC-facing interface (the one holding GitLab\'s address), and no iptables/nft rule may drop or reject them. A Docker bridge, Tailscale (100.64.0.0/10) or a CNI network on that range swallows the replies. A host that does not hold GitLab\'s address, or a firewall the SSH user may not read, is reported, never passed.',
  needs: ['hosts.gitlabHost'],
  messages: {
    ok: 'On {{host}}, 100.104.0.0/16 leaves via {{dev}} (the VPC interface: it holds GitLab\'s address {{gitlab}}) and no firewall rule drops it.',
    okNoFirewall: 'On {{host}}, 100.104.0.0/16 leaves via {{dev}} (the VPC interface: it holds GitLab\'s address {{gitlab}}); neither iptables-save nor nft is installed there, so no iptables/nft rule drops it.',
    notGitlabHost: 'The SSH read went to {{host}}, which does not hold GitLab\'s address {{gitlab}} (its addresses: {{addresses}}), so its routes and firewall say nothing about GitLab\'s replies. Point probe.gitlabHost.ssh at the GitLab host itself.',
    swallowed: 'On {{host}}, replies to {{targets}} leave via {{dev}}, not the VPC interface {{vpcDev}}: {{output}}',
    unroutable: 'On {{host}}, {{target}} is {{type}}: {{output}}',
    firewall: 'On {{host}}, {{n}} firewall rule(s) drop or reject traffic from or to 100.104.0.0/16: {{line}}',
    firewallUnread: 'On {{host}}, 100.104.0.0/16 leaves via {{dev}}, but the firewall could not be read as {{who}}, so whether a local rule drops the range is undecided: {{reason}}',
    unknownInterface: 'On {{host}}, 100.104.0.0/16 leaves via {{dev}}, but the VPC interface could not be identified: {{reason}}.',
  },
  remediation: {
    route: 'Move the network that claims 100.104.0.0/16 on {{host}} (device {{dev}}): for Docker set "bip"/"default-address-pools" in /etc/docker/daemon.json to another range; for Tailscale avoid the CGNAT route (`tailscale up --netfilter-mode=off` or a more specific route via {{vpcDev}}); or add `ip route add 100.104.0.0/16 dev {{vpcDev}} via <VPC gateway>`.',
    firewall: 'Remove or narrow the rule on {{host}}: {{line}} (iptables -D … / nft delete rule …), and make the change persistent.',
    pointAtGitlab: 'Set probe.gitlabHost.ssh.host to the machine that has {{gitlab}} on an interface (check with `ip -o -4 addr` there), then run again. If {{gitlab}} is a NAT, proxy or floating address in front of GitLab, read the machine that serves GitLab and check the return path through that NAT or proxy separately.',
    firewallAccess: 'Let the read run the firewall tools as root: connect as root (probe.gitlabHost.ssh.username), or allow {{user}} password-less sudo for these reads only and set probe.gitlabHost.sudo: true (the read then retries with `sudo -n`, which never prompts), e.g. in /etc/sudoers.d/acr-preflight: `{{user}} ALL=(root) NOPASSWD: {{sudoers}}`. Or read it yourself as root on {{host}}: `iptables-save; nft list ruleset`, and look for DROP/REJECT on 100.104.0.0/16.',
    firewallRetry: 'Run `iptables-save` and `nft list ruleset` as root on {{host}} to see why the read of {{tools}} failed, fix that, and run again.',
    recollect: 'Collect the facts again with this version (`acr-preflight check` or `collect`): it records whether iptables-save and nft could be read on {{host}}.',
    confirm: 'Check with `ip -o route get 100.104.0.1` and `ip -o addr` on {{host}} which interface faces the VPC.',
  },
  check(ctx): RuleOutcome {
    const h = ctx.need(ctx.facts.hosts.gitlabHost, 'GitLab host SSH read');
    const src = ctx.facts.hosts.gitlabHost.source;
    const user = h.user ?? /^ssh:(.+)@[^@]+$/.exec(src)?.[1] ?? 'the SSH user';
    const who = h.uid !== undefined ? `${user} (uid ${h.uid})` : user;
    const gitlab = gitlabAddresses(ctx);
    const holder = h.interfaces.find((i) => i.addresses.some((a) => gitlab.addresses.includes(a.split('/')[0]!)));
    const vpcDev = holder?.name;
    const hostAddresses = h.interfaces.flatMap((i) => i.addresses.filter((a) => !a.startsWith('127.')).map((a) => `${a} (${i.name})`));
    const fw = judgeFirewall(h, who);
    const drops = h.firewallLines.filter((l) => DROPS.test(l));

    const evidence = [
      { label: 'routes', value: h.routes.map((r) => `${r.target}: ${r.output}`), source: src },
      { label: 'interfaces', value: h.interfaces.map((i) => `${i.name} ${i.addresses.join(' ')}`), source: src },
      {
        label: 'VPC interface',
        value: vpcDev
          ? `${vpcDev} (holds ${gitlab.label})`
          : gitlab.addresses.length ? `unknown: no interface holds ${gitlab.label}` : `unknown: ${ctx.path.reason}`,
        source: src,
      },
      ...(h.defaultRouteDev
        ? [{ label: 'default route device', value: vpcDev ? h.defaultRouteDev : `${h.defaultRouteDev} (not taken as the VPC interface: no interface holds GitLab's address)`, source: src }]
        : []),
      {
        label: 'firewall reads',
        value: h.firewall
          ? [...h.firewall.map((r) => describeTool(r, who)), ...(fw.state === 'read' && fw.noTools ? ['no packet filter from iptables or nft: neither iptables-save nor nft is installed on this host'] : [])]
          : 'not recorded (snapshot from an older version)',
        source: src,
      },
      ...(h.firewallLines.length ? [{ label: 'firewall lines touching 100.104.0.0/16', value: h.firewallLines, source: src }] : []),
    ];
    const hop = (verdict: 'allow' | 'drop' | 'unknown', detail: string) => [{ hop: 'host' as const, direction: 'reply' as const, id: h.host, verdict, detail }];
    const dev = h.routes.find((r) => r.dev)?.dev ?? '?';

    // the read went to a machine without GitLab's address: nothing it shows is about GitLab's replies
    if (gitlab.addresses.length && !vpcDev) {
      const addresses = hostAddresses.join(', ') || 'none besides loopback';
      return {
        status: 'warn',
        messageId: 'notGitlabHost',
        data: { host: h.host, gitlab: gitlab.label, addresses, dev },
        evidence,
        remediationId: 'pointAtGitlab',
        hops: hop('unknown', `${h.host} does not hold ${gitlab.label}`),
      };
    }
    const vpcLabel = vpcDev ?? '?';

    const dead = h.routes.find((r) => routeType(r));
    if (dead) {
      const type = routeType(dead);
      return { status: 'fail', messageId: 'unroutable', data: { host: h.host, target: dead.target, type, output: dead.output, dev: dead.dev ?? '-', vpcDev: vpcLabel }, evidence, remediationId: 'route', hops: hop('drop', `${dead.target} ${type}`) };
    }
    // every route that leaves through another device, grouped by device
    const wrong = vpcDev ? h.routes.filter((r) => r.dev && r.dev !== vpcDev) : [];
    if (wrong.length) {
      const devs = [...new Set(wrong.map((r) => r.dev!))];
      const targets = wrong.map((r) => `${r.target} (${r.dev})`).join(', ');
      return {
        status: 'fail',
        messageId: 'swallowed',
        data: { host: h.host, targets, dev: devs.join(', '), vpcDev: vpcLabel, output: wrong[0]!.output, n: wrong.length },
        evidence,
        remediationId: 'route',
        hops: hop('drop', `${wrong.map((r) => r.target).join(', ')} via ${devs.join(', ')}`),
      };
    }
    // a drop found in what could be read is decisive even if another tool could not be read
    if (drops.length) {
      return { status: 'fail', messageId: 'firewall', data: { host: h.host, line: drops.join(' | '), n: drops.length }, evidence, remediationId: 'firewall', hops: hop('drop', drops[0]!) };
    }
    if (fw.state === 'undecided') {
      const paths = (h.firewall ?? []).filter((r) => !toolReadable(r) && r.outcome !== 'not-installed');
      const sudoers = paths.length
        ? paths.map((r) => `${r.path ?? `/usr/sbin/${r.tool}`}${r.tool === 'nft' ? ' list ruleset' : ''}`).join(', ')
        : '/usr/sbin/iptables-save, /usr/sbin/nft list ruleset';
      return {
        status: 'error',
        messageId: 'firewallUnread',
        data: { host: h.host, dev, user, who, cause: fw.cause, tools: fw.tools, reason: fw.reason, sudoers },
        evidence,
        remediationId: fw.cause === 'permission-denied' ? 'firewallAccess' : fw.cause === 'not-recorded' ? 'recollect' : 'firewallRetry',
        hops: hop('unknown', `firewall unread (${fw.cause}): ${fw.tools}`),
      };
    }
    if (!vpcDev) {
      return { status: 'warn', messageId: 'unknownInterface', data: { host: h.host, dev, reason: ctx.path.reason }, evidence, remediationId: 'confirm', hops: hop('unknown', `via ${dev}`) };
    }
    return {
      status: 'pass',
      messageId: fw.noTools ? 'okNoFirewall' : 'ok',
      data: { host: h.host, dev, gitlab: gitlab.label },
      evidence,
      hops: hop('allow', `via ${dev}`),
    };
  },
};
