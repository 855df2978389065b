// Fault injection from the world's `faults`: latency (+ jitter), throttling (Throttling.User),
// 5xx (ServiceUnavailable), denials (the product's documented RAM refusal) and malformed answers, per action or global, from a seeded
// PRNG so a run is reproducible.
import { ServiceUnavailable, Throttling, type ApiError } from './errors.js';
import { refusal } from './ram.js';
import type { FaultKnobs, FaultsWorld } from './world.js';
import { seededRandom } from '../util/random.js';

export interface FaultDecision {
  delayMs: number;
  error?: ApiError;
  malformed?: 'json' | 'missing-fields' | 'wrong-types';
}

export class FaultInjector {
  private readonly rand: () => number;
  private readonly calls = new Map<string, number>();
  constructor(private faults: FaultsWorld) {
    this.rand = seededRandom(faults.seed ?? 1);
  }

  knobs(product: string, action: string): FaultKnobs {
    const per = this.faults.perAction?.[`${product}:${action}`] ?? this.faults.perAction?.[action] ?? {};
    return {
      latencyMs: per.latencyMs ?? this.faults.latencyMs ?? 0,
      jitterMs: per.jitterMs ?? this.faults.jitterMs ?? 0,
      throttleRate: per.throttleRate ?? this.faults.throttleRate ?? 0,
      errorRate: per.errorRate ?? this.faults.errorRate ?? 0,
      retryAfterMs: per.retryAfterMs ?? this.faults.retryAfterMs,
      throttleFirst: per.throttleFirst ?? this.faults.throttleFirst ?? 0,
      errorFirst: per.errorFirst ?? this.faults.errorFirst ?? 0,
    };
  }

  denied(product: string, action: string): boolean {
    return (this.faults.deny ?? []).some((d) => {
      const [p, a] = d.split(':') as [string, string];
      const re = new RegExp(`^${a.replace(/\*/g, '.*')}$`);
      return (p === '*' || p === product) && re.test(action);
    });
  }

  decide(product: string, action: string, requestId: string): FaultDecision {
    const k = this.knobs(product, action);
    const delayMs = (k.latencyMs ?? 0) + (k.jitterMs ? this.rand() * k.jitterMs : 0);
    if (this.denied(product, action)) return { delayMs, error: refusal(product, action, requestId) };
    // counted per action: with global throttleFirst every action starts with N throttled calls
    const key = `${product}:${action}`;
    const n = (this.calls.get(key) ?? 0) + 1;
    this.calls.set(key, n);
    if (n <= (k.throttleFirst ?? 0)) return { delayMs, error: new Throttling(k.retryAfterMs) };
    if (n <= (k.throttleFirst ?? 0) + (k.errorFirst ?? 0)) return { delayMs, error: new ServiceUnavailable() };
    // one die per request, split into throttle / 5xx / ok bands: the rates stay exact and reproducible
    const roll = this.rand();
    if (roll < (k.throttleRate ?? 0)) return { delayMs, error: new Throttling(k.retryAfterMs) };
    if (roll < (k.throttleRate ?? 0) + (k.errorRate ?? 0)) return { delayMs, error: new ServiceUnavailable() };
    const malformed = this.faults.malformed?.[`${product}:${action}`] ?? this.faults.malformed?.[action];
    return { delayMs, malformed };
  }
}

/** "missing-fields": only RequestId survives; "wrong-types": lists become strings, numbers strings, strings numbers */
export function malform(body: Record<string, unknown>, how: 'missing-fields' | 'wrong-types'): Record<string, unknown> {
  if (how === 'missing-fields') return { RequestId: body.RequestId };
  const wrong = (v: unknown, depth: number): unknown => {
    if (Array.isArray(v)) return depth > 0 ? 'not-a-list' : v.map((x) => wrong(x, depth + 1));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, wrong(x, depth + 1)]));
    if (typeof v === 'number') return String(v);
    if (typeof v === 'boolean') return v ? 'yes' : 'no';
    if (typeof v === 'string' && depth > 0) return v.length;
    return v;
  };
  const out = wrong(body, 0) as Record<string, unknown>;
  out.RequestId = body.RequestId;
  return out;
}
