// The `what-if --patch` file: proposed changes in the same vocabulary as the fixes the rules offer
// (a fix's `patches` from `check --format json` can be pasted as they are). YAML or JSON:
//
//   changes:
//     - op: add-sg-rule
//       securityGroupId: sg-bp1gitlab
//       rule: { policy: accept, priority: 1, ipProtocol: TCP, portRange: 443/443, sourceCidrIp: 100.104.0.0/16 }
//     - op: insert-acl-entry
//       networkAclId: nacl-bp1gitlab
//       direction: egress
//       position: 1
//       entry: { policy: accept, protocol: tcp, port: 1024/65535, cidr: 100.104.0.0/16 }
//
// A bad file is one InputError naming the file, line and field.
import { yaml } from '../util/yaml-lib.js';
import '../util/zod-mode.js';
import * as z from 'zod';
import { PATCH_OPS, type FactPatch } from '../engine/fixes.js';
import { InputError } from '../errors.js';
import { isCidr } from '../net/cidr.js';

const cidr = z.string().refine(isCidr, 'expected an IPv4 CIDR such as 100.104.0.0/16');
const portRange = z.string().regex(/^(-1\/-1|\d{1,5}\/\d{1,5})$/, 'expected a port range such as 443/443 (or -1/-1 for all)');
const policy = z.enum(['accept', 'drop']);

const sgRule = z
  .object({
    ruleId: z.string().optional(),
    direction: z.enum(['ingress', 'egress']).default('ingress'),
    policy,
    priority: z.number().int().min(1).max(100).default(1),
    ipProtocol: z.string().regex(/^(TCP|UDP|ICMP|GRE|ALL|\d{1,3})$/i, 'expected TCP, UDP, ICMP, GRE, ALL or a protocol number').transform((s) => s.toUpperCase()),
    portRange,
    sourcePortRange: portRange.optional(),
    sourceCidrIp: cidr.optional(),
    sourcePrefixListId: z.string().optional(),
    destCidrIp: cidr.optional(),
    description: z.string().optional(),
  })
  .strict()
  .refine((r) => r.direction === 'egress' || r.sourceCidrIp !== undefined || r.sourcePrefixListId !== undefined, 'an ingress rule needs sourceCidrIp or sourcePrefixListId');

const aclEntry = z
  .object({
    entryId: z.string().optional(),
    name: z.string().optional(),
    policy,
    protocol: z.enum(['tcp', 'udp', 'icmp', 'gre', 'all']),
    port: portRange,
    cidr,
    entryType: z.string().optional(),
  })
  .strict();

const direction = z.enum(['ingress', 'egress']);
const nextHops = z.array(z.object({ nextHopType: z.string().min(1), nextHopId: z.string().min(1) }).strict()).min(1);

const patch = z.discriminatedUnion('op', [
  z.object({ op: z.literal('add-sg-rule'), securityGroupId: z.string().min(1), rule: sgRule }).strict(),
  z.object({ op: z.literal('remove-sg-rule'), securityGroupId: z.string().min(1), ruleId: z.string().min(1) }).strict(),
  z.object({ op: z.literal('insert-acl-entry'), networkAclId: z.string().min(1), direction, position: z.number().int().min(1), entry: aclEntry }).strict(),
  z.object({ op: z.literal('remove-acl-entry'), networkAclId: z.string().min(1), direction, position: z.number().int().min(1) }).strict(),
  z.object({ op: z.literal('set-vbr-route'), destinationCidrBlock: cidr, nextHops }).strict(),
  z.object({ op: z.literal('remove-vbr-route'), destinationCidrBlock: cidr }).strict(),
  z.object({ op: z.literal('add-slb-acl-entry'), aclId: z.string().min(1), entry: z.string().min(1) }).strict(),
  z.object({ op: z.literal('remove-slb-acl-entry'), aclId: z.string().min(1), entry: z.string().min(1) }).strict(),
  z.object({ op: z.literal('set-slb-listener'), loadBalancerId: z.string().min(1), listenerPort: z.number().int().min(1).max(65535), status: z.enum(['running', 'stopped']).optional(), aclStatus: z.enum(['on', 'off']).optional() }).strict(),
  z.object({ op: z.literal('use-vswitch'), vSwitchId: z.string().min(1) }).strict(),
  z.object({ op: z.literal('set-token-scopes'), scopes: z.array(z.string().min(1)).min(1) }).strict(),
]);

const changes = z.array(patch).min(1, 'expected at least one change');
const wrapped = z.object({ changes }).strict();

/** Parses a patch file's text; throws InputError "FILE:LINE: path: problem". */
export function parsePatchFile(text: string, name: string): FactPatch[] {
  const { LineCounter, parseDocument } = yaml();
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : counter.linePos(offset).line);
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new InputError(`${name}:${lineOf(e.pos[0])}: not valid YAML or JSON (${e.message.split('\n')[0]})`, 'see `acr-preflight what-if --help` for the format');
  }
  const value: unknown = doc.toJS();
  if (!Array.isArray(value) && (value === null || typeof value !== 'object' || !('changes' in value))) {
    throw new InputError(`${name}:1: expected \`changes:\` followed by a list of changes`, 'see `acr-preflight what-if --help` for the format');
  }
  const parsed = Array.isArray(value) ? changes.safeParse(value) : wrapped.safeParse(value);
  if (parsed.success) return (Array.isArray(parsed.data) ? parsed.data : parsed.data.changes) as FactPatch[];
  // the issue nearest the root that names a place; a union's own message when nothing matched
  const issue = parsed.error.issues[0]!;
  const path = issue.path.filter((p): p is string | number => typeof p === 'string' || typeof p === 'number');
  let node: unknown;
  for (let n = path.length; n >= 0 && !node; n--) node = doc.getIn(path.slice(0, n), true);
  const range = (node as { range?: [number, number, number] } | undefined)?.range;
  const where = path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${p}` : p), '');
  let message = issue.message;
  if (issue.code === 'invalid_union' && !issue.path.includes('rule') && !issue.path.includes('entry')) {
    message = `unknown op; expected one of ${PATCH_OPS.join(', ')}`;
  }
  throw new InputError(`${name}:${lineOf(range?.[0])}: ${where || 'the file'}: ${message}`, 'see `acr-preflight what-if --help` for the format');
}
