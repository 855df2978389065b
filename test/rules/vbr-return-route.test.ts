import { rule } from '../../rules/vbr-return-route.js';
import type { RouteEntry } from '../../src/facts/types.js';
import { makeFacts, makeIdcFacts, ok, unavailable } from '../helpers/facts.js';
import { ruleTester } from '../helpers/rule-tester.js';

const toVpc = (cidr: string, status = 'Available'): RouteEntry => ({ destinationCidrBlock: cidr, status, type: 'Custom', nextHops: [{ nextHopType: 'RouterInterface', nextHopId: 'ri-to-vpc' }] });
const toIdc = (cidr: string): RouteEntry => ({ destinationCidrBlock: cidr, status: 'Available', type: 'Custom', nextHops: [{ nextHopType: 'VirtualBorderRouter', nextHopId: 'ri-vbr-vlan' }] });
const withRoutes = (...entries: RouteEntry[]) => makeIdcFacts((f) => { f.cloud.vbrRouteEntries = ok(entries); });

ruleTester(rule, [
  { name: 'exact route toward the VPC', facts: makeIdcFacts(), status: 'pass', messageId: 'ok' },
  { name: 'covering route 100.64.0.0/10 toward the VPC', facts: withRoutes(toIdc('10.20.0.0/16'), toVpc('100.64.0.0/10')), status: 'pass', messageId: 'ok' },
  { name: 'no route at all', facts: withRoutes(toIdc('10.20.0.0/16')), status: 'fail', messageId: 'unrouted', data: { ranges: '100.104.0.0/16' } },
  { name: 'only half routed', facts: withRoutes(toVpc('100.104.0.0/17')), status: 'fail', messageId: 'unrouted', data: { ranges: '100.104.128.0/17' } },
  { name: 'more specific route back to the IDC wins', facts: withRoutes(toVpc('100.104.0.0/16'), toIdc('100.104.64.0/18')), status: 'fail', messageId: 'backToIdc', data: { ranges: '100.104.64.0/18' } },
  { name: 'route to the VLAN interface for the whole range', facts: withRoutes(toIdc('100.104.0.0/16')), status: 'fail', messageId: 'backToIdc' },
  { name: 'default route back to the IDC', facts: withRoutes(toIdc('0.0.0.0/0')), status: 'fail', messageId: 'backToIdc', data: { ranges: '100.104.0.0/16' } },
  { name: 'pending entry', facts: withRoutes(toVpc('100.104.0.0/16', 'Pending')), status: 'fail', messageId: 'notAvailable', data: { status: 'Pending' } },
  { name: 'entry without a next hop', facts: withRoutes({ destinationCidrBlock: '100.104.0.0/16', status: 'Available', type: 'Custom', nextHops: [] }), status: 'fail', messageId: 'noNextHop' },
  { name: 'split routes both toward the VPC', facts: withRoutes(toVpc('100.104.0.0/17'), toVpc('100.104.128.0/17')), status: 'pass', messageId: 'ok' },
  { name: 'a VBR id that does not exist fails naming the nearest', facts: makeIdcFacts((f) => { f.cloud.vbr = unavailable('not-found', 'VBR vbr-idx does not exist in cn-hangzhou; nearest existing: vbr-idc', { code: 'InvalidVbrId.NotFound' }); }), status: 'fail', messageId: 'vbrNotFound', check: (r) => { if (!/nearest existing: vbr-idc\.$/.test(r.message)) throw new Error(r.message); } },
  { name: 'VBR not active', facts: makeIdcFacts((f) => { f.cloud.vbr = ok({ ...(f.cloud.vbr as any).value, status: 'terminated' }); }), status: 'fail', messageId: 'vbrInactive' },
  { name: 'route table unreadable names the RAM action', facts: makeIdcFacts((f) => { f.cloud.vbrRouteEntries = unavailable('forbidden', 'denied', { ramAction: 'vpc:DescribeRouteEntryList' }); }), status: 'error', messageId: '$forbidden' },
  { name: 'skipped on the ECS path', facts: makeFacts(), status: 'skip', messageId: '$notApplicable' },
]);
