// RAM as the emulator enforces it: a world may carry `ram:`, either the policy document a user would
// attach (Version/Statement with Allow and Deny, `*` wildcards, as `acr-preflight policy` prints it)
// or a plain list of allowed RAM actions. Every call whose RAM action (src/emulator/ram-actions.ts)
// the policy does not allow is refused with the product's documented error. No `ram:` = no RAM
// checks (the account owner). A test can swap the policy at run time (PUT /__emulator/ram).
import '../util/zod-mode.js';
import * as z from 'zod';
import { ApiError, ForbiddenRam } from './errors.js';
import { RAM_ACTIONS, RAM_REFUSAL } from './ram-actions.js';

const oneOrMany = z.union([z.string().min(1), z.array(z.string().min(1))]);
const Statement = z.looseObject({
  Effect: z.enum(['Allow', 'Deny']),
  Action: oneOrMany,
  Resource: oneOrMany.optional(),
});
export const RamWorld = z.union([
  z.array(z.string().regex(/^[a-z]+:[A-Za-z*]+$/, 'expected a RAM action such as "ecs:DescribeInstances"')),
  z.looseObject({ Version: z.string().optional(), Statement: z.array(Statement) }),
]);
export type RamWorldInput = z.input<typeof RamWorld>;

const list = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]);
/** RAM action patterns: `*` and `?` wildcards, names compared without case */
const pattern = (p: string): RegExp => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');

export class RamPolicy {
  private allow: RegExp[] | undefined;
  private deny: RegExp[] = [];

  constructor(doc?: unknown) {
    this.set(doc);
  }

  /** replace the policy (undefined: no RAM checks); throws a zod error on a malformed document */
  set(doc: unknown): void {
    if (doc === undefined || doc === null) {
      this.allow = undefined;
      this.deny = [];
      return;
    }
    const d = RamWorld.parse(doc);
    if (Array.isArray(d)) {
      this.allow = d.map(pattern);
      this.deny = [];
      return;
    }
    this.allow = d.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => list(s.Action).map(pattern));
    this.deny = d.Statement.filter((s) => s.Effect === 'Deny').flatMap((s) => list(s.Action).map(pattern));
  }

  allows(ramAction: string): boolean {
    if (!this.allow) return true;
    return !this.deny.some((r) => r.test(ramAction)) && this.allow.some((r) => r.test(ramAction));
  }
}

/** the RAM action an API action needs (the emulator's reading of the reference pages) */
export function ramActionOf(product: string, action: string): string {
  return RAM_ACTIONS[`${product}:${action}`]?.ram ?? `${product}:${action}`;
}

/** the product's documented refusal: cr 403 NoPrivilege, ECS/VPC/SLB 403 Forbidden.RAM */
export function refusal(product: string, action: string, requestId: string): ApiError {
  const ram = ramActionOf(product, action);
  if (product === 'cr') return new ApiError(RAM_REFUSAL.cr.status, RAM_REFUSAL.cr.code, 'Access denied for this user.');
  return new ForbiddenRam(ram, requestId);
}
