import assert from 'node:assert/strict';
import { rule } from '../../rules/host-route.js';
import type { Facts, FirewallToolRead, HostRouteRead } from '../../src/facts/types.js';
import type { RuleResult } from '../../src/engine/types.js';
import { healthyLoadBalancer, makeFacts, makeSlbFacts, ok, unavailable } from '../helpers/facts.js';
import { ruleTester } from '../helpers/rule-tester.js';

const route = (target: string, dev: string, extra = '') => ({ target, dev, output: `${target} via 192.168.1.253 dev ${dev} src 192.168.1.10 ${extra}`.trim() });
const TARGETS = ['100.104.0.1', '100.104.128.1', '100.104.255.254'];

// firewall reads as the collector records them
const IPT = '/usr/sbin/iptables-save';
const NFT = '/usr/sbin/nft';
const readOk = (tool: FirewallToolRead['tool']): FirewallToolRead => ({ tool, command: tool === 'nft' ? `${NFT} list ruleset` : IPT, path: tool === 'nft' ? NFT : IPT, outcome: 'read', exitCode: 0 });
const DENIED_STDERR = {
  'iptables-save': 'iptables-save v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)',
  nft: 'Operation not permitted (you must be root) / netlink: Error: cache initialization failed: Operation not permitted',
};
const denied = (tool: FirewallToolRead['tool'], sudo?: FirewallToolRead['sudo']): FirewallToolRead => ({
  ...readOk(tool),
  outcome: 'permission-denied',
  exitCode: tool === 'nft' ? 1 : 4,
  stderr: DENIED_STDERR[tool],
  ...(sudo ? { sudo } : {}),
});
const sudoRefused = { outcome: 'refused' as const, exitCode: 1, stderr: 'sudo: a password is required' };
const viaSudo = (tool: FirewallToolRead['tool']): FirewallToolRead => ({ ...denied(tool, { outcome: 'read', exitCode: 0 }), command: `sudo -n ${readOk(tool).command}` });
const missing = (tool: FirewallToolRead['tool']): FirewallToolRead => ({ tool, command: tool === 'nft' ? 'nft list ruleset' : 'iptables-save', outcome: 'not-installed', exitCode: 127 });
const timedOut = (tool: FirewallToolRead['tool']): FirewallToolRead => ({ tool, command: tool === 'nft' ? 'nft list ruleset' : 'iptables-save', outcome: 'timeout', stderr: 'no answer within 8000 ms' });
const asOps = { user: 'ops', uid: 1000 };

const read = (x: Partial<HostRouteRead>): HostRouteRead => ({
  host: '192.168.1.10',
  user: 'root',
  uid: 0,
  routes: TARGETS.map((t) => route(t, 'eth0')),
  interfaces: [{ name: 'lo', addresses: ['127.0.0.1/8'] }, { name: 'eth0', addresses: ['192.168.1.10/24'] }],
  firewallLines: [],
  firewall: [readOk('iptables-save'), readOk('nft')],
  vpcInterface: 'eth0',
  defaultRouteDev: 'eth0',
  ...x,
});
const host = (x: Partial<HostRouteRead>) => makeFacts((f) => {
  f.hosts.gitlabHost = ok(read(x));
});
const slbHost = (x: Partial<HostRouteRead>, mutate?: (f: Facts) => void) => makeSlbFacts((f) => {
  f.hosts.gitlabHost = ok(read(x));
  mutate?.(f);
});
/** A host that is not GitLab's: another machine in the same subnet, routes and default route via eth0. */
const otherHost = { host: '192.168.1.20', interfaces: [{ name: 'lo', addresses: ['127.0.0.1/8'] }, { name: 'eth0', addresses: ['192.168.1.20/24'] }], vpcInterface: undefined };
const evidence = (r: RuleResult, label: string) => r.evidence.find((e) => e.label === label)?.value;

ruleTester(rule, [
  { name: 'not configured: skip with a hint', facts: makeFacts(), status: 'skip', messageId: '$notConfigured' },
  { name: 'SSH read failed is an error, not a pass', facts: makeFacts((f) => { f.hosts.gitlabHost = unavailable('probe-failed', 'host key mismatch'); }), status: 'error', messageId: '$unavailable' },
  { name: 'all via eth0', facts: host({}), status: 'pass', messageId: 'ok', data: { dev: 'eth0', gitlab: '192.168.1.10' } },
  { name: 'docker bridge swallows the range', facts: host({ routes: [route('100.104.0.1', 'docker0')] }), status: 'fail', messageId: 'swallowed', data: { dev: 'docker0', vpcDev: 'eth0', targets: '100.104.0.1 (docker0)' } },
  { name: 'tailscale swallows part of it', facts: host({ routes: [route('100.104.0.1', 'eth0'), route('100.104.128.1', 'tailscale0')] }), status: 'fail', messageId: 'swallowed', data: { dev: 'tailscale0', targets: '100.104.128.1 (tailscale0)', n: 1 } },
  { name: 'every wrong device is named', facts: host({ routes: [route('100.104.0.1', 'cni0'), route('100.104.128.1', 'eth0'), route('100.104.255.254', 'br-3f2a')] }), status: 'fail', messageId: 'swallowed', data: { dev: 'cni0, br-3f2a', n: 2, targets: '100.104.0.1 (cni0), 100.104.255.254 (br-3f2a)' } },
  { name: 'address held locally goes to lo', facts: host({ routes: [{ target: '100.104.0.1', dev: 'lo', output: 'local 100.104.0.1 dev lo table local src 100.104.0.1 uid 0' }] }), status: 'fail', messageId: 'swallowed', data: { dev: 'lo' } },
  { name: 'blackhole', facts: host({ routes: [{ target: '100.104.0.1', output: 'blackhole 100.104.0.1 uid 0' }] }), status: 'fail', messageId: 'unroutable', data: { type: 'blackhole' } },
  { name: 'no route at all', facts: host({ routes: [{ target: '100.104.0.1', output: 'RTNETLINK answers: Network is unreachable' }] }), status: 'fail', messageId: 'unroutable', data: { type: 'unreachable', target: '100.104.0.1' } },
  { name: 'iptables drop', facts: host({ firewallLines: ['-A INPUT -s 100.104.0.0/16 -j DROP'] }), status: 'fail', messageId: 'firewall', data: { line: '-A INPUT -s 100.104.0.0/16 -j DROP', n: 1 } },
  { name: 'nft reject and iptables REJECT both named', facts: host({ firewallLines: ['ip saddr 100.64.0.0/10 reject', '-A OUTPUT -d 100.104.0.0/16 -j ACCEPT', '-A FORWARD -d 100.104.0.0/16 -j REJECT --reject-with icmp-port-unreachable'] }), status: 'fail', messageId: 'firewall', data: { n: 2, line: 'ip saddr 100.64.0.0/10 reject | -A FORWARD -d 100.104.0.0/16 -j REJECT --reject-with icmp-port-unreachable' } },
  { name: 'an ACCEPT line for the range is fine', facts: host({ firewallLines: ['-A INPUT -s 100.104.0.0/16 -p tcp --dport 443 -j ACCEPT'] }), status: 'pass', messageId: 'ok' },

  // ---- the firewall could not be read: undecided, never "no rule drops it" ------------------
  {
    name: 'non-root user: both tools refused, sudo -n refused → error with the reason and the fix',
    facts: host({ ...asOps, firewall: [denied('iptables-save', sudoRefused), denied('nft', sudoRefused)] }),
    status: 'error',
    messageId: 'firewallUnread',
    data: { cause: 'permission-denied', tools: 'iptables-save, nft', user: 'ops', who: 'ops (uid 1000)', dev: 'eth0', sudoers: `${IPT}, ${NFT} list ruleset` },
    check: (r) => {
      assert.match(String(r.data.reason), /\/usr\/sbin\/iptables-save: permission denied as ops \(uid 1000\), exit 4 \(.*Permission denied \(you must be root\)\); sudo -n: refused \(sudo: a password is required\)/);
      assert.match(String(r.data.reason), /\/usr\/sbin\/nft: permission denied as ops \(uid 1000\), exit 1 \(Operation not permitted/);
      assert.match(r.remediation, /connect as root/);
      assert.match(r.remediation, /sudo -n/);
      assert.match(r.remediation, /ops ALL=\(root\) NOPASSWD: \/usr\/sbin\/iptables-save, \/usr\/sbin\/nft list ruleset/);
      assert.doesNotMatch(r.message, /no firewall rule drops/);
      assert.equal(r.evidence.find((e) => e.label === 'firewall reads')?.value instanceof Array, true);
    },
  },
  { name: 'non-root user, sudo -n not installed → error', facts: host({ ...asOps, firewall: [denied('iptables-save', { outcome: 'not-installed', exitCode: 127 }), missing('nft')] }), status: 'error', messageId: 'firewallUnread', data: { cause: 'permission-denied', tools: 'iptables-save' }, check: (r) => assert.match(String(r.data.reason), /sudo -n: sudo is not installed/) },
  { name: 'non-root user, sudo -n read both → pass', facts: host({ ...asOps, firewall: [viaSudo('iptables-save'), viaSudo('nft')] }), status: 'pass', messageId: 'ok', check: (r) => assert.deepEqual(evidence(r, 'firewall reads'), [`sudo -n ${IPT}: read (the direct read as ops (uid 1000) was refused)`, `sudo -n ${NFT} list ruleset: read (the direct read as ops (uid 1000) was refused)`]) },
  { name: 'a drop read through sudo -n fails', facts: host({ ...asOps, firewall: [viaSudo('iptables-save'), viaSudo('nft')], firewallLines: ['-A INPUT -s 100.104.0.0/16 -j DROP'] }), status: 'fail', messageId: 'firewall', data: { n: 1 } },
  { name: 'one tool read clean, the other refused → still undecided', facts: host({ ...asOps, firewall: [readOk('iptables-save'), denied('nft', sudoRefused)] }), status: 'error', messageId: 'firewallUnread', data: { cause: 'permission-denied', tools: 'nft', sudoers: `${NFT} list ruleset` } },
  { name: 'a drop in the readable tool is decisive even if the other was refused', facts: host({ ...asOps, firewall: [readOk('iptables-save'), denied('nft', sudoRefused)], firewallLines: ['-A INPUT -s 100.104.0.0/16 -j DROP'] }), status: 'fail', messageId: 'firewall' },
  { name: 'root and still refused (no CAP_NET_ADMIN): no sudo retry, error', facts: host({ firewall: [denied('iptables-save'), denied('nft')] }), status: 'error', messageId: 'firewallUnread', data: { cause: 'permission-denied', who: 'root (uid 0)' }, check: (r) => assert.match(String(r.data.reason), /no sudo -n retry \(already root\)/) },
  { name: 'a firewall read that timed out → error, retry remediation', facts: host({ firewall: [timedOut('iptables-save'), readOk('nft')] }), status: 'error', messageId: 'firewallUnread', data: { cause: 'timeout', tools: 'iptables-save' }, check: (r) => assert.match(r.remediation, /iptables-save.*as root on 192\.168\.1\.10/) },
  { name: 'a firewall tool that failed otherwise → error', facts: host({ firewall: [{ ...readOk('iptables-save'), outcome: 'error', exitCode: 2, stderr: 'iptables-save: unknown option' }, readOk('nft')] }), status: 'error', messageId: 'firewallUnread', data: { cause: 'error', tools: 'iptables-save' } },
  { name: 'a snapshot without firewall read status (older version) is not taken as clean', facts: host({ firewall: undefined }), status: 'error', messageId: 'firewallUnread', data: { cause: 'not-recorded' }, check: (r) => assert.match(r.remediation, /Collect the facts again/) },
  {
    name: 'neither iptables nor nft installed → pass, and the evidence says so',
    facts: host({ firewall: [missing('iptables-save'), missing('nft')] }),
    status: 'pass',
    messageId: 'okNoFirewall',
    data: { dev: 'eth0' },
    check: (r) => {
      const v = evidence(r, 'firewall reads') as string[];
      assert.ok(v.some((l) => /^iptables-save: not installed/.test(l)));
      assert.ok(v.some((l) => /no packet filter from iptables or nft: neither iptables-save nor nft is installed/.test(l)));
    },
  },
  { name: 'iptables-save not installed, nft read clean → pass', facts: host({ firewall: [missing('iptables-save'), readOk('nft')] }), status: 'pass', messageId: 'ok' },

  // ---- the SSH read went to a host that does not hold GitLab's address ----------------------
  {
    name: 'wrong host: GitLab address on no interface → warn naming host, its addresses and GitLab',
    facts: host(otherHost),
    status: 'warn',
    messageId: 'notGitlabHost',
    data: { host: '192.168.1.20', gitlab: '192.168.1.10', addresses: '192.168.1.20/24 (eth0)' },
    check: (r) => {
      assert.doesNotMatch(r.message, /the VPC interface/);
      assert.match(r.message, /probe\.gitlabHost\.ssh/);
      assert.match(r.remediation, /probe\.gitlabHost\.ssh\.host/);
      assert.equal(evidence(r, 'VPC interface'), 'unknown: no interface holds 192.168.1.10');
      assert.equal(evidence(r, 'default route device'), 'eth0 (not taken as the VPC interface: no interface holds GitLab\'s address)');
      assert.equal(r.ruleId, 'host-route');
    },
  },
  { name: 'wrong host: an older snapshot that named the default-route device the VPC interface is not believed', facts: host({ ...otherHost, vpcInterface: 'eth0' }), status: 'warn', messageId: 'notGitlabHost', data: { gitlab: '192.168.1.10' } },
  { name: 'wrong host: its own route problems are not reported as GitLab\'s', facts: host({ ...otherHost, routes: [route('100.104.0.1', 'docker0')] }), status: 'warn', messageId: 'notGitlabHost' },
  { name: 'wrong host: a host with loopback only', facts: host({ ...otherHost, interfaces: [{ name: 'lo', addresses: ['127.0.0.1/8'] }] }), status: 'warn', messageId: 'notGitlabHost', data: { addresses: 'none besides loopback' } },
  { name: 'GitLab address on a second NIC: that NIC is the VPC interface', facts: host({ interfaces: [{ name: 'eth0', addresses: ['10.0.0.5/24'] }, { name: 'eth1', addresses: ['192.168.1.10/24'] }] }), status: 'fail', messageId: 'swallowed', data: { vpcDev: 'eth1', dev: 'eth0' } },
  { name: 'GitLab address as a secondary address of eth0', facts: host({ interfaces: [{ name: 'eth0', addresses: ['192.168.1.20/24', '192.168.1.10/24'] }] }), status: 'pass', messageId: 'ok' },
  { name: 'SLB path: the host holds a backend address → pass', facts: slbHost({}), status: 'pass', messageId: 'ok', data: { gitlab: '192.168.1.100 (SLB) or one of its backends 192.168.1.10' } },
  { name: 'SLB path: the host holds neither the SLB address nor a backend → warn', facts: slbHost(otherHost), status: 'warn', messageId: 'notGitlabHost', data: { gitlab: '192.168.1.100 (SLB) or one of its backends 192.168.1.10' } },
  { name: 'SLB path without backend addresses → warn', facts: slbHost({}, (f) => { f.cloud.loadBalancers = ok([healthyLoadBalancer({ backends: [] })]); }), status: 'warn', messageId: 'notGitlabHost', data: { gitlab: '192.168.1.100 (SLB; no backend address known)' } },
  {
    name: 'GitLab address unknown (DNS failed): VPC interface unknown → warn',
    facts: makeFacts((f) => {
      f.input.gitlab.host = 'gitlab.internal';
      f.gitlab.addresses = unavailable('probe-failed', 'getaddrinfo ENOTFOUND gitlab.internal');
      f.hosts.gitlabHost = ok(read({}));
    }),
    status: 'warn',
    messageId: 'unknownInterface',
    data: { dev: 'eth0' },
    check: (r) => assert.match(String(r.data.reason), /gitlab\.internal could not be resolved/),
  },
]);
