// The cloud API server: one HTTP endpoint for ecs, vpc, slb and cr. Routes by x-acs-action /
// x-acs-version (V3) or Action / Version (RPC V1), authenticates, applies faults, calls a thin
// handler and answers the documented JSON. Also serves our control endpoints under /__emulator/
// (not part of Alibaba's API): the console steps Link and Bind Account, a state dump and the audit.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AuditLog } from './audit.js';
import { ApiError, CrError, IncompleteSignature, InternalError, InvalidApi, MissingParameter, NoSuchVersion } from './errors.js';
import { FaultInjector, malform } from './faults.js';
import { CR } from './handlers/cr.js';
import { ECS } from './handlers/ecs.js';
import { SLB } from './handlers/slb.js';
import type { GitlabHooks, ProductSpec } from './handlers/types.js';
import { VPC } from './handlers/vpc.js';
import { Params } from './params.js';
import { NonceCache, V1_COMMON, verifyV1, verifyV3, type SignedRequest } from './signature.js';
import { RamPolicy, ramActionOf, refusal } from './ram.js';
import { buildStatus, type CloudState } from './store.js';
import type { CredentialEntry } from './world.js';
import { sleep } from '../util/sleep.js';

export const PRODUCTS: ProductSpec[] = [ECS, VPC, SLB, CR];
const BY_VERSION = new Map(PRODUCTS.map((p) => [p.version, p]));

/** actions whose RegionId is optional in the docs (the id alone identifies the resource) */
const REGION_OPTIONAL = new Set(['DescribeVSwitchAttributes']);

const MAX_BODY = 1 << 20;

export interface AccountCheck {
  /** null when GitLab would accept this account, else why not (Bind Account verifies the token) */
  verifyAccount(username: string, token: string): string | null;
}

export interface CloudServerOptions {
  state: CloudState;
  faults: FaultInjector;
  audit: AuditLog;
  hooks: GitlabHooks & AccountCheck;
  /** the caller's RAM policy (world `ram:`; PUT /__emulator/ram replaces it) */
  ram?: RamPolicy;
  now?: () => number;
  log?: (line: string) => void;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new ApiError(413, 'RequestEntityTooLarge', 'The request body is too large.'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function firstValues(sp: URLSearchParams): Record<string, string> {
  // no prototype: a parameter named "constructor" or "toString" is a parameter like any other
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of sp) if (!Object.hasOwn(out, k)) out[k] = v;
  return out;
}

function credentialsOf(state: CloudState): CredentialEntry[] {
  const c = state.world.credentials;
  return Array.isArray(c) ? c : [c];
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function createCloudServer(opts: CloudServerOptions): Server {
  const now = opts.now ?? Date.now;
  const nonces = new NonceCache();
  const keys = credentialsOf(opts.state);
  const ram = opts.ram ?? new RamPolicy(opts.state.world.ram);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // the latency of a call counts from the request's arrival, like a network's: the emulator's own
    // work before it (reading, verifying the signature) is part of it, not added on top, so a burst
    // of parallel calls is not stretched by this single thread checking them one after another
    const arrived = performance.now();
    const requestId = randomUUID().toUpperCase();
    let product = '';
    let action = '';
    let regionId = '';
    let apiParams: Record<string, string> = {};
    let spec: ProductSpec | undefined;
    const fail = (err: ApiError) => {
      const host = `${spec?.product ?? 'api'}${regionId ? '.' + regionId : ''}.aliyuncs.com`;
      const body = {
        RequestId: requestId,
        HostId: host,
        Code: err.code,
        Message: err.message,
        Recommend: `https://api.alibabacloud.com/troubleshoot?intl_lang=EN_US&q=${encodeURIComponent(err.code)}&product=${spec?.title ?? ''}&requestId=${requestId}`,
        ...err.extra,
      };
      opts.audit.record({ product, action, params: apiParams, status: err.status, code: err.code });
      sendJson(res, err.status, body, { 'x-acs-request-id': requestId, ...err.headers });
    };
    try {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://emulator');
      if (url.pathname.startsWith('/__emulator/')) {
        await control(req, res, url, body);
        return;
      }
      const query = firstValues(url.searchParams);
      const ctype = String(req.headers['content-type'] ?? '');
      const form = ctype.startsWith('application/x-www-form-urlencoded') ? firstValues(new URLSearchParams(body.toString('utf8'))) : {};
      // V3 signs with an Authorization header; V1 with a Signature parameter (the SDK then also sends x-acs-action)
      const v3 = String(req.headers.authorization ?? '').startsWith('ACS3-');
      const hAction = req.headers['x-acs-action'];
      const hVersion = req.headers['x-acs-version'];
      const pAction = query.Action || form.Action || '';
      const pVersion = query.Version || form.Version || '';
      const v1 = !v3 && (query.Signature !== undefined || form.Signature !== undefined);
      // V1 signs the parameters, not the x-acs-* headers: route only on what was signed
      action = v1 ? pAction : (typeof hAction === 'string' && hAction) || pAction;
      const version = v1 ? pVersion : (typeof hVersion === 'string' && hVersion) || pVersion;
      if (v1 && ((typeof hAction === 'string' && hAction && hAction !== pAction) || (typeof hVersion === 'string' && hVersion && hVersion !== pVersion))) {
        throw new IncompleteSignature('The x-acs-action/x-acs-version headers differ from the signed Action/Version parameters.');
      }
      spec = BY_VERSION.get(version);
      product = spec?.product ?? '';
      apiParams = Object.fromEntries(Object.entries({ ...form, ...query }).filter(([k]) => v3 || !V1_COMMON.has(k)));
      regionId = apiParams.RegionId ?? '';
      if (!action) throw new MissingParameter('Action');
      if (!version) throw new MissingParameter('Version');
      const signed: SignedRequest = { method: req.method ?? 'POST', pathname: url.pathname, query, headers: req.headers, body, form };
      // signatures are checked against the wall clock (the SDK stamps real time); `now` is the world's clock
      const wall = Date.now();
      if (v3) verifyV3(signed, keys, nonces, wall);
      else if (v1) verifyV1(signed, keys, nonces, wall);
      else if (req.headers.authorization) verifyV3(signed, keys, nonces, wall); // malformed: let V3 name the problem
      else throw new IncompleteSignature('Neither an Authorization header nor a Signature parameter was sent.');
      if (!spec) throw new NoSuchVersion(version);
      const handler = Object.hasOwn(spec.actions, action) ? spec.actions[action] : undefined;
      if (!handler) throw new InvalidApi(spec.product, action);
      // RAM decides before anything else about the call is looked at
      if (!ram.allows(ramActionOf(spec.product, action))) throw refusal(spec.product, action, requestId);
      if (spec.regionRequired && !regionId && !REGION_OPTIONAL.has(action)) throw new MissingParameter('RegionId');
      const decision = opts.faults.decide(spec.product, action, requestId);
      await sleep(Math.max(0, decision.delayMs - (performance.now() - arrived)));
      if (decision.error) throw decision.error;
      const p = new Params(apiParams);
      const store =
        spec.product === 'cr'
          ? opts.state.crRegion(regionId || undefined, apiParams.InstanceId)
          : regionId
            ? opts.state.region(regionId)
            : findRegionFor(opts.state, apiParams);
      regionId ||= store.regionId;
      let answer: Record<string, unknown>;
      try {
        answer = { RequestId: requestId, ...handler({ p, regionId, store, state: opts.state, now: now(), hooks: opts.hooks }) };
      } catch (err) {
        if (!(err instanceof CrError)) throw err;
        opts.audit.record({ product, action, params: apiParams, status: 200, code: err.code });
        // the models of cr answers have Code, IsSuccess and RequestId only: no Message on the wire
        sendJson(res, 200, { RequestId: requestId, Code: err.code, IsSuccess: false }, { 'x-acs-request-id': requestId });
        return;
      }
      opts.audit.record({ product, action, params: apiParams, status: 200, code: typeof answer.Code === 'string' ? answer.Code : 'OK' });
      if (decision.malformed === 'json') {
        const text = JSON.stringify(answer);
        res.writeHead(200, { 'content-type': 'application/json;charset=utf-8', 'x-acs-request-id': requestId });
        res.end(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
        return;
      }
      sendJson(res, 200, decision.malformed ? malform(answer, decision.malformed) : answer, { 'x-acs-request-id': requestId });
    } catch (err) {
      if (err instanceof ApiError) return fail(err);
      opts.log?.(`emulator: internal error in ${product} ${action}: ${(err as Error)?.stack ?? String(err)}`);
      return fail(new InternalError());
    }
  }

  async function control(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void> {
    const route = `${req.method} ${url.pathname}`;
    const json = (): Record<string, unknown> => {
      try {
        const v = JSON.parse(body.toString('utf8') || '{}') as unknown;
        if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
      } catch {
        /* fall through */
      }
      throw new ControlError(400, 'body must be a JSON object');
    };
    try {
      switch (route) {
        case 'GET /__emulator/state':
          return sendJson(res, 200, dumpState(opts.state, now()));
        case 'GET /__emulator/audit':
          return sendJson(res, 200, opts.audit.entries);
        case 'PUT /__emulator/ram': {
          // the caller's RAM policy from now on: a policy document or a list of RAM actions; null = none
          let doc: unknown;
          try {
            doc = JSON.parse(body.toString('utf8') || 'null');
          } catch {
            throw new ControlError(400, 'body must be JSON: a RAM policy document, a list of RAM actions, or null');
          }
          try {
            ram.set(doc);
          } catch (err) {
            throw new ControlError(400, `not a RAM policy: ${(err as Error).message.split('\n')[0]}`);
          }
          return sendJson(res, 200, { ram: doc === null ? 'none' : 'set' });
        }
        case 'POST /__emulator/console/link': {
          const b = json();
          const vpcId = reqString(b, 'vpcId');
          const vSwitchId = reqString(b, 'vSwitchId');
          const gitlabIp = reqString(b, 'gitlabIp');
          const extraIps = optStrings(b, 'extraIps');
          const ports = b.ports === undefined ? undefined : optNumbers(b, 'ports');
          const store = regionOf(opts.state, b, vpcId);
          const out = store.link({ vpcId, vSwitchId, gitlabIp, extraIps, ports });
          return sendJson(res, 200, { ...out, regionId: store.regionId });
        }
        case 'POST /__emulator/console/bind': {
          const b = json();
          const endpoint = reqString(b, 'endpoint');
          const username = reqString(b, 'username');
          const token = reqString(b, 'token');
          const vpcId = reqString(b, 'vpcId');
          try {
            new URL(endpoint);
          } catch {
            throw new ControlError(400, `endpoint "${endpoint}" is not a URL`);
          }
          const store = regionOf(opts.state, b, vpcId);
          const link = store.securityGroups.find((s) => s.VpcId === vpcId && s.ServiceManaged);
          if (!link) throw new ControlError(409, `no build link in ${vpcId}: perform "Manage Link" first (POST /__emulator/console/link)`);
          const why = opts.hooks.verifyAccount(username, token);
          if (why) throw new ControlError(400, `GitLab rejected the account: ${why}`);
          const instanceId = typeof b.instanceId === 'string' ? b.instanceId : undefined;
          store.cr.codeSources = store.cr.codeSources.filter((c) => !(c.CodeRepoType === 'GITLAB' && c.InstanceId === instanceId));
          store.cr.codeSources.push({
            CodeRepoType: 'GITLAB',
            network: 'VPC',
            endpoint,
            username,
            token,
            vpcId,
            ...(typeof b.vSwitchId === 'string' ? { vSwitchId: b.vSwitchId } : {}),
            ...(instanceId ? { InstanceId: instanceId } : {}),
          });
          return sendJson(res, 200, { bound: true, regionId: store.regionId });
        }
        default:
          throw new ControlError(404, `unknown control endpoint ${route}`);
      }
    } catch (err) {
      if (err instanceof ControlError) return sendJson(res, err.status, { error: err.message });
      if (err instanceof ApiError) return sendJson(res, err.status, { error: err.message, code: err.code });
      throw err;
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      opts.log?.(`emulator: ${(err as Error)?.stack ?? String(err)}`);
      if (!res.headersSent) sendJson(res, 500, { Code: 'InternalError', Message: 'internal error' });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  return server;
}

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function reqString(b: Record<string, unknown>, k: string): string {
  const v = b[k];
  if (typeof v !== 'string' || !v) throw new ControlError(400, `"${k}" (string) is required`);
  return v;
}

function optStrings(b: Record<string, unknown>, k: string): string[] {
  const v = b[k] ?? [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new ControlError(400, `"${k}" must be a list of strings`);
  return v as string[];
}

function optNumbers(b: Record<string, unknown>, k: string): number[] {
  const v = b[k];
  if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x) && x >= 1 && x <= 65535)) throw new ControlError(400, `"${k}" must be a list of ports`);
  return v as number[];
}

function regionOf(state: CloudState, b: Record<string, unknown>, vpcId: string) {
  if (typeof b.regionId === 'string') return state.region(b.regionId);
  for (const r of state.regions.values()) if (r.vpcs.some((v) => v.VpcId === vpcId)) return r;
  throw new ControlError(404, `VPC ${vpcId} is not in any region of the world`);
}

/** calls without RegionId (only the documented optional ones get here): the region holding the id */
function findRegionFor(state: CloudState, params: Record<string, string>) {
  for (const r of state.regions.values()) {
    if (params.VSwitchId && r.vSwitches.some((s) => s.VSwitchId === params.VSwitchId)) return r;
  }
  return state.regions.values().next().value ?? state.region('cn-hangzhou');
}

/** GET /__emulator/state: the live stores, secrets masked, builds with their current status */
export function dumpState(state: CloudState, now: number): Record<string, unknown> {
  const regions: Record<string, unknown> = {};
  for (const [id, r] of state.regions) {
    regions[id] = {
      vpcs: r.vpcs,
      vSwitches: r.vSwitches,
      networkAcls: r.networkAcls,
      instances: r.instances,
      networkInterfaces: r.allNetworkInterfaces(),
      securityGroups: r.securityGroups,
      prefixLists: r.prefixLists,
      loadBalancers: r.loadBalancers,
      accessControlLists: r.accessControlLists,
      virtualBorderRouters: r.virtualBorderRouters,
      routeTables: r.routeTables,
      routerInterfaces: r.routerInterfaces,
      bgpPeers: r.bgpPeers,
      bgpNetworks: r.bgpNetworks,
      cr: {
        instances: r.cr.instances,
        namespaces: r.cr.namespaces,
        repositories: r.cr.repositories,
        sourceCodeRepos: r.cr.sourceCodeRepos,
        buildRules: r.cr.buildRules,
        codeSources: r.cr.codeSources.map((c) => ({ ...c, token: c.token ? '***' : undefined })),
        buildRecords: r.cr.buildRecords.map((b) => ({
          BuildRecordId: b.BuildRecordId,
          RepoId: b.RepoId,
          BuildRuleId: b.BuildRuleId,
          status: buildStatus(b, now),
          outcome: b.outcome,
          lines: b.lines.length,
        })),
      },
    };
  }
  return { regions };
}
