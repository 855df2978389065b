import { rule } from '../../rules/host-route.js';
import type { HostRouteRead } from '../../src/facts/types.js';
import { makeFacts, ok, unavailable } from '../helpers/facts.js';
import { ruleTester } from '../helpers/rule-tester.js';

const route = (target: string, dev: string, extra = '') => ({ target, dev, output: `${target} via 192.168.1.253 dev ${dev} src 192.168.1.10 ${extra}`.trim() });
const host = (x: Partial<HostRouteRead>) => makeFacts((f) => {
  f.hosts.gitlabHost = ok({ host: '192.168.1.10', routes: ['100.104.0.1', '100.104.128.1', '100.104.255.254'].map((t) => route(t, 'eth0')), interfaces: [{ name: 'eth0', addresses: ['192.168.1.10/24'] }], firewallLines: [], vpcInterface: 'eth0', ...x });
});
ruleTester(rule, [
  { name: 'not configured: skip with a hint', facts: makeFacts(), status: 'skip', messageId: '$notConfigured' },
  { name: 'SSH read failed is an error, not a pass', facts: makeFacts((f) => { f.hosts.gitlabHost = unavailable('probe-failed', 'host key mismatch'); }), status: 'error', messageId: '$unavailable' },
  { name: 'all via eth0', facts: host({}), status: 'pass', messageId: 'ok', data: { dev: 'eth0' } },
  { name: 'docker bridge swallows the range', facts: host({ routes: [route('100.104.0.1', 'docker0')] }), status: 'fail', messageId: 'swallowed', data: { dev: 'docker0', vpcDev: 'eth0', targets: '100.104.0.1 (docker0)' } },
  { name: 'tailscale swallows part of it', facts: host({ routes: [route('100.104.0.1', 'eth0'), route('100.104.128.1', 'tailscale0')] }), status: 'fail', messageId: 'swallowed', data: { dev: 'tailscale0', targets: '100.104.128.1 (tailscale0)', n: 1 } },
  { name: 'every wrong device is named', facts: host({ routes: [route('100.104.0.1', 'cni0'), route('100.104.128.1', 'eth0'), route('100.104.255.254', 'br-3f2a')] }), status: 'fail', messageId: 'swallowed', data: { dev: 'cni0, br-3f2a', n: 2, targets: '100.104.0.1 (cni0), 100.104.255.254 (br-3f2a)' } },
  { name: 'address held locally goes to lo', facts: host({ routes: [{ target: '100.104.0.1', dev: 'lo', output: 'local 100.104.0.1 dev lo table local src 100.104.0.1 uid 0' }] }), status: 'fail', messageId: 'swallowed', data: { dev: 'lo' } },
  { name: 'blackhole', facts: host({ routes: [{ target: '100.104.0.1', output: 'blackhole 100.104.0.1 uid 0' }] }), status: 'fail', messageId: 'unroutable', data: { type: 'blackhole' } },
  { name: 'no route at all', facts: host({ routes: [{ target: '100.104.0.1', output: 'RTNETLINK answers: Network is unreachable' }] }), status: 'fail', messageId: 'unroutable', data: { type: 'unreachable', target: '100.104.0.1' } },
  { name: 'iptables drop', facts: host({ firewallLines: ['-A INPUT -s 100.104.0.0/16 -j DROP'] }), status: 'fail', messageId: 'firewall', data: { line: '-A INPUT -s 100.104.0.0/16 -j DROP', n: 1 } },
  { name: 'nft reject and iptables REJECT both named', facts: host({ firewallLines: ['ip saddr 100.64.0.0/10 reject', '-A OUTPUT -d 100.104.0.0/16 -j ACCEPT', '-A FORWARD -d 100.104.0.0/16 -j REJECT --reject-with icmp-port-unreachable'] }), status: 'fail', messageId: 'firewall', data: { n: 2, line: 'ip saddr 100.64.0.0/10 reject | -A FORWARD -d 100.104.0.0/16 -j REJECT --reject-with icmp-port-unreachable' } },
  { name: 'an ACCEPT line for the range is fine', facts: host({ firewallLines: ['-A INPUT -s 100.104.0.0/16 -p tcp --dport 443 -j ACCEPT'] }), status: 'pass', messageId: 'ok' },
  { name: 'VPC interface unknown', facts: host({ vpcInterface: undefined }), status: 'warn', messageId: 'unknownInterface', data: { dev: 'eth0' } },
]);
