// The CloudApi over the real Alibaba Cloud SDK runtime (@alicloud/openapi-core: V3 signatures,
// credentials, endpoints), for ECS, VPC, SLB and CR alike.
// Our own bounded retries (exponential backoff, full jitter, honouring retryAfter), bounded
// concurrency and an overall deadline. The SDKs load lazily: `--help` never pays for them.
import { createHash } from 'node:crypto';
import { API_VERSIONS, type CallOptions, type CloudApi, type CloudCallError, type Product } from './api.js';
import { ramActionFor } from './actions.js';
import type { CloudCredentials } from './credentials.js';
import { assertTargetAllowed } from '../net/guard.js';
import { sleep } from '../util/sleep.js';
import { seededRandom } from '../util/random.js';

export interface CloudClientOptions {
  region: string;
  /** cloud.endpoint: one endpoint (URL) for every product, e.g. the emulator */
  endpoint?: string;
  credentials: CloudCredentials;
  /** per request read timeout */
  timeoutMs?: number;
  /** attempts per call, retries included */
  maxAttempts?: number;
  concurrency?: number;
  /** overall deadline for every call made through this client */
  signal?: AbortSignal;
  /** for tests: deterministic jitter (see seededRandom) and sleeping */
  random?: () => number;
  /** shorthand for random: seededRandom(seed) */
  seed?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  env?: NodeJS.ProcessEnv;
}

/** Regional endpoints as the SDKs and docs give them (each product's API reference). */
const SLB_CENTRAL = new Set(['cn-qingdao', 'cn-beijing', 'cn-hangzhou', 'cn-shanghai', 'cn-shenzhen', 'cn-hongkong', 'ap-southeast-1', 'us-east-1', 'us-west-1']);
export function regionalEndpoint(product: Product, region: string): string {
  switch (product) {
    case 'ecs':
      return region === 'cn-hangzhou' ? 'ecs-cn-hangzhou.aliyuncs.com' : `ecs.${region}.aliyuncs.com`;
    case 'vpc':
      return region === 'cn-hangzhou' ? 'vpc.aliyuncs.com' : `vpc.${region}.aliyuncs.com`;
    case 'slb':
      return SLB_CENTRAL.has(region) ? 'slb.aliyuncs.com' : `slb.${region}.aliyuncs.com`;
    case 'cr':
      return `cr.${region}.aliyuncs.com`;
  }
}

/** A config URL (http://127.0.0.1:8790) → the SDK's host:port + protocol. */
export function sdkEndpoint(url: string): { endpoint: string; protocol: 'http' | 'https' } {
  const u = new URL(url);
  return { endpoint: u.host, protocol: u.protocol === 'http:' ? 'http' : 'https' };
}

const RETRYABLE_CODES = /^(Throttling|ServiceUnavailable|InternalError|Unavailable|ECONNRESET|ETIMEDOUT|EPIPE|EAI_AGAIN|RequestTimeout|ReadTimeout)/;

export function isRetryable(e: CloudCallError): boolean {
  if (e.code === 'Aborted') return false;
  if (e.statusCode !== undefined && e.statusCode >= 500) return true;
  return RETRYABLE_CODES.test(e.code) || e.code.includes('Throttling');
}

/** Full-jitter exponential backoff: random in [0, min(cap, base·2^attempt)]. */
export function backoffMs(attempt: number, random: () => number, baseMs = 100, capMs = 3000): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}

/**
 * The one place an answer is judged: CR reports a business failure as HTTP 200 with `IsSuccess: false`
 * and its `Code` (docs/alibaba-api.md), which is an error like any other; a body that is not a JSON
 * object is malformed. Throws the raw error (`toCallError` makes it a CloudCallError).
 */
export function assertAnswer(product: Product, body: unknown): Record<string, any> {
  const b = body as Record<string, any> | null | undefined;
  if (product === 'cr' && b && b.IsSuccess === false) {
    throw Object.assign(new Error(`${b.Code ?? 'Error'}: ${b.Message ?? 'IsSuccess false'}`), { code: String(b.Code ?? 'IsSuccessFalse'), statusCode: 200, requestId: b.RequestId });
  }
  if (!b || typeof b !== 'object' || Array.isArray(b)) {
    throw Object.assign(new Error('the response is not a JSON object'), { code: 'MalformedResponse' });
  }
  return b;
}

/**
 * The SDK glues "POST http://host/?query… failed." onto transport messages, often without a space
 * ("connect ECONNREFUSED 127.0.0.1:1POST http://127.0.0.1:1/?…"). Drop the URL and its query (it
 * may carry ids a user did not mean to print); name the host once if the message does not already.
 */
export function cleanSdkMessage(raw: string): string {
  let host: string | undefined;
  let msg = raw.split('\n')[0]!.replace(/\.?\s*(?:POST|GET|PUT|DELETE)?\s*https?:\/\/([^/\s?]+)\S*(?:\s+failed\.?)?/g, (_m, h: string) => {
    host ??= h;
    return '';
  });
  msg = msg.trim().replace(/[.:,]$/, '');
  if (host && !msg.includes(host)) msg = `${msg} (${host})`;
  return msg;
}

export function toCallError(product: Product, action: string, err: unknown): CloudCallError {
  const e = err as { name?: string; code?: string; statusCode?: number; requestId?: string; message?: string; data?: Record<string, unknown>; retryAfter?: number };
  let code = e?.code ?? '';
  if (!code && e?.name === 'RequestTimeoutError') code = 'ReadTimeout';
  if (!code && (err as Error) instanceof SyntaxError) code = 'MalformedResponse';
  if (!code) code = e?.name && e.name !== 'Error' ? e.name : 'Error';
  const refused = /^Forbidden|NoPermission|NoPrivilege/.test(code);
  // a refusal names what to grant (the documented RAM action, which for cr is often not cr:<API action>)
  const message = cleanSdkMessage(e?.message ?? String(err)) + (refused ? ` (grant the RAM action ${ramActionFor(product, action)})` : '');
  const out = Object.assign(new Error(`${product}:${action}: ${message}`), {
    product,
    action,
    code,
    ...(typeof e?.statusCode === 'number' ? { statusCode: e.statusCode } : {}),
    ...(e?.requestId ? { requestId: e.requestId } : {}),
    ...(refused ? { ramAction: ramActionFor(product, action) } : {}),
    ...(typeof e?.retryAfter === 'number' ? { retryAfter: e.retryAfter } : {}),
  }) as CloudCallError & { retryAfter?: number };
  return out;
}

function untilAborted<T>(p: Promise<T>, parent: AbortSignal): Promise<T> {
  // a dependent signal per call: many calls in flight must not pile listeners on the shared one
  const signal = AbortSignal.any([parent]);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(Object.assign(new Error('deadline exceeded while waiting for the answer'), { code: 'Timeout' }));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

class Semaphore {
  private waiting: (() => void)[] = [];
  private active = 0;
  constructor(private readonly max: number) {}
  async use<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

type Caller = (action: string, version: string, query: Record<string, unknown>) => Promise<Record<string, any>>;

function cjsClass(mod: any): any {
  const d = mod.default;
  return typeof d === 'function' ? d : d.default;
}

/**
 * The four product callers for the current credentials. Temporary credentials (RAM role, ECS role,
 * OIDC) expire after about an hour: every call asks the provider (which caches and refreshes them)
 * and the clients are rebuilt when the key or token changed, so a long TUI session keeps working.
 */
async function makeCallers(o: CloudClientOptions): Promise<() => Promise<Record<Product, Caller>>> {
  const core = await import('@alicloud/openapi-core');
  const { $OpenApiUtil, OpenApiUtil } = core;
  const $dara = await import('@darabonba/typescript');
  const OpenApi = cjsClass(core);
  const override = o.endpoint ? sdkEndpoint(o.endpoint) : undefined;
  if (override) assertTargetAllowed(new URL(o.endpoint!).hostname, o.env);
  const runtime = () => new $dara.RuntimeOptions({ readTimeout: o.timeoutMs ?? 10_000, connectTimeout: Math.min(o.timeoutMs ?? 10_000, 5_000) });
  const via = (client: any): Caller => async (action, version, query) => {
    const params = new $OpenApiUtil.Params({ action, version, protocol: 'HTTPS', pathname: '/', method: 'POST', authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json' });
    const req = new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(query) });
    const resp = await client.callApi(params, req, runtime());
    return (resp?.body ?? {}) as Record<string, any>;
  };
  const build = (creds: Awaited<ReturnType<CloudCredentials['get']>>): Record<Product, Caller> => {
    const config = (product: Product) =>
      new $OpenApiUtil.Config({
        accessKeyId: creds.accessKeyId,
        accessKeySecret: creds.accessKeySecret,
        ...(creds.securityToken ? { securityToken: creds.securityToken } : {}),
        regionId: o.region,
        readTimeout: o.timeoutMs ?? 10_000,
        connectTimeout: Math.min(o.timeoutMs ?? 10_000, 5_000),
        ...(override ? { endpoint: override.endpoint, protocol: override.protocol } : { endpoint: regionalEndpoint(product, o.region) }),
      });
    // Every product goes through the generic OpenApi client of @alicloud/openapi-core, the runtime the
    // @alicloud/ecs20140526 and @alicloud/vpc20160428 SDKs are built on (their methods call this same
    // callApi with the same Params; test/emulator proves those SDKs against our emulator). Loading
    // the two product SDKs would cost ~1 s and ~90 MB for model classes we never use.
    return {
      ecs: via(new OpenApi(config('ecs'))),
      vpc: via(new OpenApi(config('vpc'))),
      slb: via(new OpenApi(config('slb'))),
      cr: via(new OpenApi(config('cr'))),
    };
  };
  // the callers are rebuilt only when the provider hands out other credentials (an STS refresh)
  const keyOf = (c: { accessKeyId: string; securityToken?: string }) => `${c.accessKeyId}\u0000${c.securityToken ?? ''}`;
  const first = await o.credentials.get(); // fail early (one line) when there are none
  let current = { key: keyOf(first), callers: build(first) };
  return async () => {
    const creds = await o.credentials.get();
    const key = keyOf(creds);
    if (current.key !== key) current = { key, callers: build(creds) };
    return current.callers;
  };
}

/**
 * Decorators applied to every CloudApi this module creates (the contract tests wrap each answer in a
 * recording proxy, to hold every field the code reads against the official models). Returns the undo.
 */
const decorators = new Set<(api: CloudApi) => CloudApi>();
export function decorateCloudApis(d: (api: CloudApi) => CloudApi): () => void {
  decorators.add(d);
  return () => decorators.delete(d);
}

export async function createCloudApi(o: CloudClientOptions): Promise<CloudApi> {
  const callersNow = await makeCallers(o);
  const sem = new Semaphore(o.concurrency ?? 16);
  const random = o.random ?? (o.seed !== undefined ? seededRandom(o.seed) : Math.random);
  const wait = o.sleep ?? sleep;
  // generous: a throttled API (30% of calls) must not turn into an undecided rule
  const maxAttempts = o.maxAttempts ?? 12;
  let requests = 0;
  const api: CloudApi = {
    get requestCount() {
      return requests;
    },
    async scope() {
      const c = await o.credentials.get();
      const who = c.securityToken ? `temporary credentials from ${c.origin}` : `AccessKey ${c.accessKeyId}`;
      return createHash('sha256').update(`${o.endpoint ?? 'alibaba-cloud'}\n${o.region}\n${who}`).digest('hex').slice(0, 12);
    },
    async call(product, action, params, opts: CallOptions = {}) {
      const signals = [o.signal, opts.signal].filter((s): s is AbortSignal => Boolean(s));
      const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
      for (let attempt = 0; ; attempt++) {
        if (signal?.aborted) throw toCallError(product, action, Object.assign(new Error('deadline exceeded'), { code: 'Timeout' }));
        let err: CloudCallError & { retryAfter?: number };
        try {
          const body = await sem.use(async () => {
            if (signal?.aborted) throw Object.assign(new Error('deadline exceeded'), { code: 'Timeout' });
            requests++;
            // cr request models have no RegionId: its endpoint (cr.<region>.aliyuncs.com) carries the region
            const pending = (await callersNow())[product](action, API_VERSIONS[product], product === 'cr' ? params : { RegionId: o.region, ...params });
            // the SDK takes no AbortSignal: stop waiting at the deadline (the request itself ends by its readTimeout)
            return signal ? untilAborted(pending, signal) : pending;
          });
          return assertAnswer(product, body);
        } catch (e) {
          err = toCallError(product, action, e);
        }
        if (attempt + 1 >= maxAttempts || !isRetryable(err)) throw err;
        const pause = err.retryAfter !== undefined && err.retryAfter > 0 ? Math.min(err.retryAfter, 5000) : backoffMs(attempt, random);
        try {
          await wait(pause, signal);
        } catch {
          throw toCallError(product, action, Object.assign(new Error('deadline exceeded'), { code: 'Timeout' }));
        }
      }
    },
  };
  let out = api;
  for (const d of decorators) out = d(out);
  return out;
}
