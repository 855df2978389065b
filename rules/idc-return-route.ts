// idc-return-route: the data-center router must send 100.104.0.0/16 back over Express Connect.
// Proven by reading the router over SSH, by BGP (session Established and the VBR advertising a
// prefix that covers 100.104.0.0/16), or by a human attestation; otherwise it is unverified.
import type { Evidence, Rule, RuleOutcome } from '../src/engine/types.js';
import { REVERSE_RANGE, cidrToRange, isCidr, subtract } from '../src/net/cidr.js';
import { PROBES_DISABLED } from '../src/facts/types.js';

const UNROUTABLE = /\b(unreachable|blackhole|prohibit|no route|network is unreachable|% Network not in table|not in table)\b/i;

export const rule: Rule = {
  id: 'idc-return-route',
  title: 'Data-center router returns 100.104.0.0/16 over Express Connect',
  severity: 'error',
  description:
    'Replies from GitLab in the data center must go back over Express Connect: the IDC router needs a route for 100.104.0.0/16 toward the VBR. We prove it by reading the router (SSH), from BGP (the VBR advertises the prefix and the session is Established), or from a recorded attestation.',
  dependsOn: ['vpc-vswitch'],
  needs: ['hosts.idcRouter', 'cloud.bgpPeers', 'cloud.bgpNetworks', 'cloud.vbr'],
  paths: ['idc'],
  messages: {
    routerOk: 'IDC router {{host}} routes 100.104.0.0/16 via {{via}}, the VBR side of Express Connect.',
    routerUnconfirmed: 'IDC router {{host}} routes 100.104.0.0/16 via {{via}} ({{dev}}); the VBR gateway address is unknown, so it is not confirmed to be Express Connect.',
    routerWrongHop: 'IDC router {{host}} routes 100.104.0.0/16 via {{via}} ({{dev}}), not via the VBR gateway {{gateway}}; replies leave the wrong way.',
    routerNoRoute: 'IDC router {{host}} has no usable route for 100.104.0.0/16: {{output}}',
    bgp: 'BGP proves the return route: peer {{peer}} is Established and VBR {{vbr}} advertises {{prefix}}.',
    attested: 'Return route attested (not machine-verified): {{attestation}}',
    unverified: 'The IDC return route for 100.104.0.0/16 is unverified: {{why}}.',
  },
  remediation: {
    route:
      'On the IDC router, route 100.104.0.0/16 to the VBR gateway {{gateway}}, e.g. Linux: `ip route add 100.104.0.0/16 via {{gateway}}`; Cisco: `ip route 100.104.0.0 255.255.0.0 {{gateway}}`; Huawei: `ip route-static 100.104.0.0 16 {{gateway}}`.',
    prove:
      'Prove it one of three ways: configure datacenter.router.ssh so the router can be read; advertise 100.104.0.0/16 from the VBR over BGP (VPC console → VBR → BGP networks); or record an attestation in datacenter.attest.returnRoute (ticket, who checked, when).',
  },
  check(ctx): RuleOutcome {
    const f = ctx.facts;
    const vbr = f.cloud.vbr.state === 'ok' ? f.cloud.vbr.value : undefined;
    const gateway = vbr?.localGatewayIp;
    const evidence: Evidence[] = [];
    const why: string[] = [];
    const router = f.hosts.idcRouter;
    if (router.state === 'ok') {
      const r = router.value;
      const data = { host: r.host, via: r.route?.via ?? '?', dev: r.route?.dev ?? '?', gateway: gateway ?? '<VBR LocalGatewayIp>', output: r.output.trim().split('\n')[0] ?? '' };
      evidence.push({ label: `${r.host}: ${r.command}`, value: r.output.trim(), source: router.source });
      if (!r.route || (!r.route.via && !r.route.dev) || UNROUTABLE.test(r.output)) {
        return { status: 'fail', messageId: 'routerNoRoute', data, evidence, remediationId: 'route', hops: [{ hop: 'idc-router', direction: 'reply', id: r.host, verdict: 'drop', detail: 'no route for 100.104.0.0/16' }] };
      }
      if (gateway && r.route.via !== gateway) {
        return { status: 'fail', messageId: 'routerWrongHop', data, evidence, remediationId: 'route', hops: [{ hop: 'idc-router', direction: 'reply', id: r.host, verdict: 'drop', detail: `via ${data.via}, not ${gateway}` }] };
      }
      if (!gateway) {
        return { status: 'warn', messageId: 'routerUnconfirmed', data, evidence, remediationId: 'prove', hops: [{ hop: 'idc-router', direction: 'reply', id: r.host, verdict: 'unknown', detail: `via ${data.via}` }] };
      }
      return { status: 'pass', messageId: 'routerOk', data, evidence, hops: [{ hop: 'idc-router', direction: 'reply', id: r.host, verdict: 'allow', detail: `via ${gateway}` }] };
    }
    if (router.reason === 'not-configured' && router.code === PROBES_DISABLED) why.push('the router was not read (probes disabled: --no-probes)');
    else if (router.reason === 'not-configured' || router.reason === 'not-applicable') why.push('datacenter.router is not configured');
    else {
      why.push(`the router could not be read (${router.message})`);
      evidence.push({ label: 'router read', value: router.message, source: router.source });
    }

    if (f.cloud.bgpPeers.state === 'ok' && f.cloud.bgpNetworks.state === 'ok' && vbr) {
      const peers = f.cloud.bgpPeers.value.filter((p) => p.routerId === vbr.vbrId);
      const up = peers.find((p) => p.bgpStatus.toLowerCase() === 'established');
      const covering = f.cloud.bgpNetworks.value.find(
        (n) => n.routerId === vbr.vbrId && isCidr(n.dstCidrBlock) && subtract([REVERSE_RANGE], [cidrToRange(n.dstCidrBlock)]).length === 0,
      );
      evidence.push({ label: 'BGP peers', value: peers.map((p) => `${p.bgpPeerId} ${p.bgpStatus}`), source: f.cloud.bgpPeers.source });
      evidence.push({ label: 'BGP networks advertised by the VBR', value: f.cloud.bgpNetworks.value.filter((n) => n.routerId === vbr.vbrId).map((n) => n.dstCidrBlock), source: f.cloud.bgpNetworks.source });
      if (up && covering) {
        return { status: 'pass', messageId: 'bgp', data: { peer: up.bgpPeerId, vbr: vbr.vbrId, prefix: covering.dstCidrBlock }, evidence, hops: [{ hop: 'idc-router', direction: 'reply', id: up.peerIpAddress ?? up.bgpPeerId, verdict: 'allow', detail: `BGP advertises ${covering.dstCidrBlock}` }] };
      }
      if (!peers.length) why.push('no BGP peer on the VBR');
      else if (!up) why.push(`BGP session ${peers.map((p) => p.bgpStatus).join('/')}, not Established`);
      if (!covering) why.push('the VBR does not advertise a prefix covering 100.104.0.0/16 over BGP');
    } else {
      // say why, naming the RAM action to grant when the read was refused
      const unread = [f.cloud.bgpPeers, f.cloud.bgpNetworks].flatMap((x) => (x.state === 'unavailable' ? [x.ramAction ? `permission denied — grant the RAM action ${x.ramAction}` : x.message] : []));
      why.push(`BGP state could not be read${unread.length ? ` (${[...new Set(unread)].join('; ')})` : ''}`);
    }

    const attestation = f.input.datacenter?.attestReturnRoute;
    if (attestation) {
      evidence.push({ label: 'attestation', value: attestation, source: 'config datacenter.attest.returnRoute' });
      return { status: 'pass', messageId: 'attested', data: { attestation }, evidence, hops: [{ hop: 'idc-router', direction: 'reply', id: 'attested', verdict: 'allow', detail: attestation }] };
    }
    return {
      status: 'error',
      messageId: 'unverified',
      data: { why: why.join('; '), gateway: gateway ?? '<VBR LocalGatewayIp>' },
      evidence,
      remediationId: 'prove',
      hops: [{ hop: 'idc-router', direction: 'reply', id: 'idc-router', verdict: 'unknown', detail: 'unverified' }],
    };
  },
};
