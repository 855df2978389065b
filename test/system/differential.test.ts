// Differential test against a real network stack: for 25 configurations the tool's static verdict
// (rules over facts describing the configuration) must agree with what real packets from 100.104.x.y
// do. Topology, all inside namespaces this test creates (nothing in the root namespace is touched):
//
//   builder (B) b0 100.104.{1,70,130,255}.10/16 ── r0 100.104.0.254/16 router (R) r1 192.168.1.1/24 ── g0 192.168.1.10/24 GitLab host (G)
//
// G runs an HTTP server on :443 and a real sshd on :2222; security groups and network ACLs become nft
// chains in G, VBR return routes become routes in R, host routes become interfaces/routes in G. The
// host-route facts come from reading G over SSH (from R) with the product's own reader.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Facts, NaclEntry, RouteEntry, SecurityGroup } from '../../src/facts/types.js';
import { cidrToRange, ipToNum } from '../../src/net/cidr.js';
import { rule as sgRule } from '../../rules/sg-ingress.js';
import { rule as naclRule } from '../../rules/nacl-ingress.js';
import { rule as vbrRule } from '../../rules/vbr-return-route.js';
import { rule as hostRule } from '../../rules/host-route.js';
import { acl, group, makeFacts, makeIdcFacts, ok, perm } from '../helpers/facts.js';
import { evaluateRule } from '../helpers/rule-tester.js';
import { ROOT } from '../helpers/cli.js';
import { buildLab, deleteLabs, labNames, rootSnapshot, sh } from '../helpers/netns.js';
import { networkAclToNft, securityGroupsToNft } from './kernel-model.js';

const isRoot = process.getuid?.() === 0;
const hasTools = ['/usr/sbin/ip', '/usr/sbin/nft'].every(existsSync) && ['/usr/sbin/sshd', '/usr/bin/sshd'].some(existsSync);
const canNetns = isRoot && hasTools && spawnSync('ip', ['netns', 'list']).status === 0;
const skip = canNetns ? false : 'needs root, iproute2, nftables and openssh-server (CI installs them)';

const NS = labNames('acrp');
const SOURCES = ['100.104.1.10', '100.104.70.10', '100.104.130.10', '100.104.255.10'];
const GITLAB = '192.168.1.10';
const dir = mkdtempSync(join(tmpdir(), 'acrp-netns-'));
const children: ChildProcess[] = [];

const inNs = (ns: string, ...args: string[]) => sh(['ip', 'netns', 'exec', ns, ...args]);

let rootState = '';

before(async () => {
  if (skip) return;
  deleteLabs('acrp', 'stale'); // leftovers of crashed earlier runs of this test (our prefix only)
  rootState = rootSnapshot();
  buildLab(NS, GITLAB, () => {
    for (const src of SOURCES) sh(['ip', '-n', NS.b, 'addr', 'add', `${src}/16`, 'dev', 'b0']);
    sh(['ip', '-n', NS.r, 'addr', 'add', '100.104.0.254/16', 'dev', 'r0']);
  });
  inNs(NS.r, 'sysctl', '-qw', 'net.ipv4.ip_forward=1');
  sh(['ip', '-n', NS.b, 'route', 'add', '192.168.1.0/24', 'via', '100.104.0.254']);
  sh(['ip', '-n', NS.g, 'route', 'add', 'default', 'via', '192.168.1.1']);
  // GitLab stand-in: HTTP 200 on :443
  const server = spawn('ip', ['netns', 'exec', NS.g, process.execPath, '-e', `require('http').createServer((q,s)=>s.end('gitlab')).listen(443,'${GITLAB}',()=>console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(server);
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('server did not start')), 10_000);
    server.stdout!.once('data', () => {
      clearTimeout(t);
      resolve();
    });
  });
  // a real sshd inside G for the host-route read
  const hostKey = join(dir, 'host_ed25519');
  const clientKey = join(dir, 'client_ed25519');
  sh(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  sh(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', clientKey]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${clientKey}.pub`));
  const [type, key] = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(/\s+/);
  writeFileSync(join(dir, 'known_hosts'), `[${GITLAB}]:2222 ${type} ${key}\n`);
  writeFileSync(join(dir, 'sshd_config'), [`Port 2222`, `ListenAddress ${GITLAB}`, `HostKey ${hostKey}`, `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`, `PidFile ${join(dir, 'sshd.pid')}`, 'PubkeyAuthentication yes', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'PermitRootLogin prohibit-password', 'StrictModes no', 'UsePAM no', 'LogLevel ERROR'].join('\n') + '\n');
  sh(['mkdir', '-p', '/run/sshd']);
  const sshd = spawn('ip', ['netns', 'exec', NS.g, existsSync('/usr/sbin/sshd') ? '/usr/sbin/sshd' : '/usr/bin/sshd', '-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: 'ignore' });
  children.push(sshd);
  await new Promise((r) => setTimeout(r, 300));
});

after(async () => {
  for (const c of children) if (c.exitCode === null && c.pid) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 100));
  for (const c of children) if (c.exitCode === null && c.pid) c.kill('SIGKILL');
  deleteLabs('acrp', 'mine');
  rmSync(dir, { recursive: true, force: true });
  if (!skip) assert.equal(rootSnapshot(), rootState, 'the root namespace is unchanged');
});

// ---- configuration → kernel ----------------------------------------------------------------

function reset() {
  inNs(NS.g, 'nft', 'flush', 'ruleset');
  for (const dev of ['docker0', 'ts0']) spawnSync('ip', ['-n', NS.g, 'link', 'del', dev]);
  spawnSync('ip', ['-n', NS.r, 'route', 'del', 'blackhole', '100.104.64.0/18']);
  spawnSync('ip', ['-n', NS.r, 'route', 'replace', '100.104.0.0/16', 'dev', 'r0', 'proto', 'kernel', 'scope', 'link', 'src', '100.104.0.254']);
}

function probe(): Record<string, string> {
  const out = inNs(NS.b, process.execPath, join(ROOT, 'test', 'system', 'probe-sources.mjs'), GITLAB, '443', '700', ...SOURCES);
  return JSON.parse(out.trim());
}

function readHost(): Facts['hosts']['gitlabHost'] {
  const out = execFileSync('ip', ['netns', 'exec', NS.r, process.execPath, '--import', 'tsx', join(ROOT, 'test', 'system', 'read-host.ts'), GITLAB, '2222', join(dir, 'client_ed25519'), join(dir, 'known_hosts')], {
    encoding: 'utf8',
    cwd: ROOT,
    env: { ...process.env, ACR_PREFLIGHT_NETNS: NS.r },
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

interface Case {
  name: string;
  rule: typeof sgRule;
  /** configure the kernel; return the facts that describe the same configuration */
  setup: () => Facts;
}

const nftLoad = (text: string) => sh(['ip', 'netns', 'exec', NS.g, 'nft', '-f', '-'], text);
function sg(name: string, groups: SecurityGroup[], prefixLists: Record<string, string[]> = {}): Case {
  return {
    name: `security groups: ${name}`,
    rule: sgRule,
    setup: () => {
      nftLoad(securityGroupsToNft(groups, prefixLists, 443));
      return makeFacts((f) => {
        f.cloud.gitlabSecurityGroups = ok(groups);
        f.cloud.gitlabEnis = ok([{ ...(f.cloud.gitlabEnis as any).value[0], securityGroupIds: groups.map((g) => g.securityGroupId) }]);
        f.cloud.prefixLists = ok(Object.entries(prefixLists).map(([id, entries]) => ({ prefixListId: id, addressFamily: 'IPv4', entries })));
      });
    },
  };
}
const e = (policy: 'accept' | 'drop', cidr: string, port = '-1/-1', protocol = 'all'): NaclEntry => ({ policy, cidr, port, protocol });
function nacl(name: string, ingress: NaclEntry[], egress: NaclEntry[]): Case {
  return {
    name: `network ACL: ${name}`,
    rule: naclRule,
    setup: () => {
      nftLoad(networkAclToNft(ingress, egress));
      return makeFacts((f) => {
        f.cloud.gitlabNetworkAcl = ok(acl(ingress, egress));
      });
    },
  };
}
const toVpc = (cidr: string): RouteEntry => ({ destinationCidrBlock: cidr, status: 'Available', type: 'Custom', nextHops: [{ nextHopType: 'RouterInterface', nextHopId: 'ri-to-vpc' }] });
const toIdc = (cidr: string): RouteEntry => ({ destinationCidrBlock: cidr, status: 'Available', type: 'Custom', nextHops: [{ nextHopType: 'VirtualBorderRouter', nextHopId: 'ri-vbr-vlan' }] });
function vbr(name: string, kernel: () => void, entries: RouteEntry[]): Case {
  return {
    name: `VBR return route: ${name}`,
    rule: vbrRule,
    setup: () => {
      kernel();
      return makeIdcFacts((f) => {
        f.input.datacenter!.cidrs = ['192.168.1.0/24'];
        f.input.gitlab.host = GITLAB;
        f.gitlab.addresses = ok([GITLAB]);
        f.cloud.vbrRouteEntries = ok(entries);
      });
    },
  };
}
function host(name: string, kernel: () => void): Case {
  return { name: `host route: ${name}`, rule: hostRule, setup: () => { kernel(); return makeFacts((f) => { f.hosts.gitlabHost = readHost(); }); } };
}

const accept16 = perm({ ruleId: 'sgr-a', policy: 'accept', sourceCidrIp: '100.104.0.0/16' });
const CASES: Case[] = [
  sg('accept 100.104.0.0/16', [group('sg-a', [accept16])]),
  sg('accept 0.0.0.0/0', [group('sg-a', [perm({ policy: 'accept', sourceCidrIp: '0.0.0.0/0' })])]),
  sg('accept only the lower /17', [group('sg-a', [perm({ policy: 'accept', sourceCidrIp: '100.104.0.0/17' })])]),
  sg('drop wins a priority tie across groups', [group('sg-a', [perm({ policy: 'accept', priority: 5, sourceCidrIp: '100.104.0.0/16' })]), group('sg-b', [perm({ ruleId: 'sgr-d', policy: 'drop', priority: 5, sourceCidrIp: '100.104.128.0/17' })])]),
  sg('a lower priority number wins over a drop', [group('sg-a', [perm({ policy: 'accept', priority: 1, sourceCidrIp: '100.104.0.0/16' })]), group('sg-b', [perm({ policy: 'drop', priority: 2, sourceCidrIp: '100.104.0.0/16' })])]),
  sg('UDP only', [group('sg-a', [perm({ policy: 'accept', ipProtocol: 'UDP', sourceCidrIp: '100.104.0.0/16' })])]),
  sg('wrong port', [group('sg-a', [perm({ policy: 'accept', portRange: '80/80', sourceCidrIp: '100.104.0.0/16' })])]),
  sg('ALL -1/-1', [group('sg-a', [perm({ policy: 'accept', ipProtocol: 'ALL', portRange: '-1/-1', sourceCidrIp: '100.104.0.0/16' })])]),
  sg('prefix list covering the range', [group('sg-a', [perm({ policy: 'accept', sourcePrefixListId: 'pl-1' })])], { 'pl-1': ['100.104.0.0/17', '100.104.128.0/17'] }),
  sg('prefix list covering half', [group('sg-a', [perm({ policy: 'accept', sourcePrefixListId: 'pl-1' })])], { 'pl-1': ['100.104.0.0/17'] }),
  sg('enterprise group, no rules', [group('sg-e', [], { type: 'enterprise' })]),
  sg('a drop of 100.104.64.0/18 above an accept', [group('sg-a', [perm({ policy: 'drop', priority: 1, sourceCidrIp: '100.104.64.0/18' }), perm({ policy: 'accept', priority: 2, sourceCidrIp: '100.104.0.0/16' })])]),
  sg('protocol number 6', [group('sg-a', [perm({ policy: 'accept', ipProtocol: '6', sourceCidrIp: '100.104.0.0/16' })])]),
  nacl('inbound drop of the lower half first', [e('drop', '100.104.0.0/17'), e('accept', '0.0.0.0/0')], [e('accept', '0.0.0.0/0')]),
  nacl('outbound only to 192.168.0.0/16 (stateless reply dropped)', [e('accept', '0.0.0.0/0')], [e('accept', '192.168.0.0/16')]),
  nacl('tcp 443 in, all ports out', [e('accept', '100.104.0.0/16', '443/443', 'tcp')], [e('accept', '100.104.0.0/16', '1/65535', 'tcp')]),
  nacl('outbound drop of the upper half first', [e('accept', '0.0.0.0/0')], [e('drop', '100.104.128.0/17'), e('accept', '0.0.0.0/0')]),
  nacl('inbound only port 80', [e('accept', '100.104.0.0/16', '80/80', 'tcp')], [e('accept', '0.0.0.0/0')]),
  vbr('routed toward the VPC', () => {}, [toIdc('192.168.1.0/24'), toVpc('100.104.0.0/16')]),
  vbr('a more specific /18 back to the data center', () => sh(['ip', '-n', NS.r, 'route', 'add', 'blackhole', '100.104.64.0/18']), [toVpc('100.104.0.0/16'), toIdc('100.104.64.0/18')]),
  vbr('no route for 100.104.0.0/16', () => sh(['ip', '-n', NS.r, 'route', 'del', '100.104.0.0/16', 'dev', 'r0']), [toIdc('192.168.1.0/24')]),
  host('clean host', () => {}),
  host('a Docker bridge on 100.104.0.0/16', () => {
    sh(['ip', '-n', NS.g, 'link', 'add', 'docker0', 'type', 'bridge']);
    sh(['ip', '-n', NS.g, 'link', 'set', 'docker0', 'up']);
    sh(['ip', '-n', NS.g, 'addr', 'add', '100.104.0.1/16', 'dev', 'docker0']);
  }),
  host('a Tailscale-like route for 100.104.128.0/17', () => {
    sh(['ip', '-n', NS.g, 'link', 'add', 'ts0', 'type', 'bridge']);
    sh(['ip', '-n', NS.g, 'link', 'set', 'ts0', 'up']);
    sh(['ip', '-n', NS.g, 'route', 'add', '100.104.128.0/17', 'dev', 'ts0']);
  }),
  host('a local firewall drop', () => nftLoad('table inet local {\n  chain input {\n    type filter hook input priority 0; policy accept;\n    ip saddr 100.104.0.0/16 tcp dport 443 drop\n  }\n}\n')),
];

/** Sources the rule says are blocked, when its data names ranges; undefined = the rule names none. */
function predictedBlocked(r: ReturnType<typeof evaluateRule>): Set<string> | undefined {
  if (r.status === 'pass') return new Set();
  const ranges = String(r.data.uncovered ?? r.data.ranges ?? '');
  if (!ranges) return undefined;
  const rs = ranges.split(', ').map(cidrToRange);
  return new Set(SOURCES.filter((s) => rs.some((x) => ipToNum(s) >= x.start && ipToNum(s) <= x.end)));
}

test('static verdicts agree with real packets for 25 configurations', { skip, timeout: 240_000 }, (t) => {
  assert.ok(CASES.length >= 20);
  const rows: string[] = [];
  const disagreements: string[] = [];
  for (const c of CASES) {
    reset();
    const facts = c.setup();
    const result = evaluateRule(c.rule, facts);
    const real = probe();
    const blocked = new Set(SOURCES.filter((s) => real[s] !== 'ok'));
    const predicted = predictedBlocked(result);
    let agree: boolean;
    if (predicted) agree = [...SOURCES].every((s) => predicted.has(s) === blocked.has(s));
    else agree = result.status === 'fail' && blocked.size > 0;
    const line = `${agree ? 'agree   ' : 'DISAGREE'} ${c.name}: rule ${result.status}${predicted ? ` blocks [${[...predicted].join(' ')}]` : ''}; kernel blocks [${[...blocked].join(' ')}] (${result.message})`;
    rows.push(line);
    if (!agree) disagreements.push(line);
  }
  reset();
  for (const r of rows) t.diagnostic(r);
  assert.deepEqual(disagreements, [], `\n${rows.join('\n')}`);
});
