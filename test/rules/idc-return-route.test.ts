import { rule } from '../../rules/idc-return-route.js';
import { makeFacts, makeIdcFacts, ok, unavailable } from '../helpers/facts.js';
import { ruleTester } from '../helpers/rule-tester.js';

const router = (output: string, route?: { via?: string; dev?: string }) =>
  ok({ host: '10.20.0.1', flavor: 'linux' as const, command: 'ip -o route get 100.104.0.1', output, ...(route ? { route } : {}) }, 'ssh:idc-router');
const noBgp = (f: any) => {
  f.cloud.bgpPeers = ok([]);
  f.cloud.bgpNetworks = ok([]);
};

ruleTester(rule, [
  { name: 'BGP established and 100.104.0.0/16 advertised', facts: makeIdcFacts(), status: 'pass', messageId: 'bgp' },
  { name: 'BGP advertises a covering prefix', facts: makeIdcFacts((f) => { f.cloud.bgpNetworks = ok([{ routerId: 'vbr-test', dstCidrBlock: '100.64.0.0/10' }]); }), status: 'pass', messageId: 'bgp' },
  { name: 'BGP down and nothing else is unverified', facts: makeIdcFacts((f) => { f.cloud.bgpPeers = ok([{ bgpPeerId: 'bgp-1', routerId: 'vbr-test', bgpStatus: 'Idle' }]); }), status: 'error', messageId: 'unverified' },
  { name: 'prefix not advertised is unverified', facts: makeIdcFacts((f) => { f.cloud.bgpNetworks = ok([{ routerId: 'vbr-test', dstCidrBlock: '100.104.0.0/17' }]); }), status: 'error', messageId: 'unverified' },
  { name: 'attested', facts: makeIdcFacts((f) => { noBgp(f); f.input.datacenter!.attestReturnRoute = 'NET-1234 checked 2026-11-20'; }), status: 'pass', messageId: 'attested' },
  { name: 'router read via the VBR gateway', facts: makeIdcFacts((f) => { noBgp(f); f.hosts.idcRouter = router('100.104.0.1 via 10.0.0.1 dev ec0 src 10.0.0.2', { via: '10.0.0.1', dev: 'ec0' }); }), status: 'pass', messageId: 'routerOk' },
  { name: 'router sends it the wrong way', facts: makeIdcFacts((f) => { f.hosts.idcRouter = router('100.104.0.1 via 10.99.0.1 dev wan0', { via: '10.99.0.1', dev: 'wan0' }); }), status: 'fail', messageId: 'routerWrongHop', data: { via: '10.99.0.1', gateway: '10.0.0.1' } },
  { name: 'router read beats BGP when it disagrees', facts: makeIdcFacts((f) => { f.hosts.idcRouter = router('100.104.0.1 via 10.99.0.1 dev wan0', { via: '10.99.0.1', dev: 'wan0' }); }), status: 'fail', messageId: 'routerWrongHop' },
  { name: 'router has no route', facts: makeIdcFacts((f) => { f.hosts.idcRouter = router('RTNETLINK answers: Network is unreachable'); }), status: 'fail', messageId: 'routerNoRoute' },
  { name: 'blackhole route', facts: makeIdcFacts((f) => { f.hosts.idcRouter = router('blackhole 100.104.0.1 dev lo', { dev: 'lo' }); }), status: 'fail', messageId: 'routerNoRoute' },
  { name: 'gateway unknown makes a router read a warning', facts: makeIdcFacts((f) => { f.cloud.vbr = ok({ vbrId: 'vbr-test', status: 'active' }); f.hosts.idcRouter = router('100.104.0.1 via 10.0.0.1 dev ec0', { via: '10.0.0.1', dev: 'ec0' }); }), status: 'warn', messageId: 'routerUnconfirmed' },
  { name: 'unreadable router and no BGP is unverified with the SSH error', facts: makeIdcFacts((f) => { noBgp(f); f.hosts.idcRouter = unavailable('error', 'host key mismatch'); }), status: 'error', messageId: 'unverified', check: (r) => { if (!String(r.data.why).includes('host key mismatch')) throw new Error(String(r.data.why)); } },
  { name: 'skipped on the ECS path', facts: makeFacts(), status: 'skip', messageId: '$notApplicable' },
]);
