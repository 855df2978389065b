import { rule } from '../../rules/host-route.js';
import type { HostRouteRead } from '../../src/facts/types.js';
import { makeFacts, ok } from '../helpers/facts.js';
import { ruleTester } from '../helpers/rule-tester.js';

const route = (target: string, dev: string, extra = '') => ({ target, dev, output: `${target} via 192.168.1.253 dev ${dev} src 192.168.1.10 ${extra}`.trim() });
const host = (x: Partial<HostRouteRead>) => makeFacts((f) => {
  f.hosts.gitlabHost = ok({ host: '192.168.1.10', routes: ['100.104.0.1', '100.104.128.1', '100.104.255.254'].map((t) => route(t, 'eth0')), interfaces: [{ name: 'eth0', addresses: ['192.168.1.10/24'] }], firewallLines: [], vpcInterface: 'eth0', ...x });
});
ruleTester(rule, [
  { name: 'not configured: skip with a hint', facts: makeFacts(), status: 'skip', messageId: '$notConfigured' },
  { name: 'all via eth0', facts: host({}), status: 'pass', messageId: 'ok' },
  { name: 'docker bridge swallows the range', facts: host({ routes: [route('100.104.0.1', 'docker0')] }), status: 'fail', messageId: 'swallowed', data: { dev: 'docker0', vpcDev: 'eth0' } },
  { name: 'tailscale swallows part of it', facts: host({ routes: [route('100.104.0.1', 'eth0'), route('100.104.128.1', 'tailscale0')] }), status: 'fail', messageId: 'swallowed', data: { dev: 'tailscale0', target: '100.104.128.1' } },
  { name: 'blackhole', facts: host({ routes: [{ target: '100.104.0.1', output: 'blackhole 100.104.0.1 uid 0' }] }), status: 'fail', messageId: 'unroutable', data: { type: 'blackhole' } },
  { name: 'iptables drop', facts: host({ firewallLines: ['-A INPUT -s 100.104.0.0/16 -j DROP'] }), status: 'fail', messageId: 'firewall' },
  { name: 'VPC interface unknown', facts: host({ vpcInterface: undefined }), status: 'warn', messageId: 'unknownInterface' },
]);
