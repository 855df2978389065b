// slb 2014-05-15 (CLB): load balancers, listeners (+ per-protocol attributes), ACLs, backend health.
import { ApiError, InvalidParameter } from '../errors.js';
import { numberPage, tokenPage } from '../paginate.js';
import type { RegionStore } from '../store.js';
import { listenerAclIds, type ListenerWorld, type LoadBalancerWorld } from '../world.js';
import { rest } from './shape.js';
import type { Handler, ProductSpec } from './types.js';

function lb(store: RegionStore, id: string): LoadBalancerWorld {
  const l = store.loadBalancers.find((x) => x.LoadBalancerId === id);
  // SLB answers 400 for unknown ids (documented SLB error table)
  if (!l) throw new ApiError(400, 'InvalidLoadBalancerId.NotFound', `The specified LoadBalancerId "${id}" does not exist.`);
  return l;
}

function listenerOf(l: LoadBalancerWorld, port: number, protocol?: string): ListenerWorld {
  const x = l.Listeners.find((y) => y.ListenerPort === port && (!protocol || y.ListenerProtocol === protocol));
  // no documented code for a missing listener; SLB reports it as an invalid parameter
  if (!x) throw new ApiError(400, 'InvalidParameter', `The specified listener (port ${port}${protocol ? `, ${protocol}` : ''}) of ${l.LoadBalancerId} does not exist.`);
  return x;
}

/** health-check fields as the models have them: layer 4 has a type and a connect timeout; HTTP(S) a
 * timeout, and a type only in the listener list's per-protocol config */
function healthConfig(x: ListenerWorld, inList = false): Record<string, unknown> {
  const l4 = x.ListenerProtocol === 'tcp' || x.ListenerProtocol === 'udp';
  return {
    HealthCheck: 'on',
    ...(l4 || inList ? { HealthCheckType: l4 ? 'tcp' : 'http' } : {}),
    HealthCheckConnectPort: x.BackendServerPort ?? x.ListenerPort,
    HealthyThreshold: 3,
    UnhealthyThreshold: 3,
    ...(l4 ? { HealthCheckConnectTimeout: 5 } : { HealthCheckTimeout: 5 }),
    HealthCheckInterval: 2,
  };
}

function listenerBody(l: LoadBalancerWorld, x: ListenerWorld): Record<string, unknown> {
  const cfgKey = `${x.ListenerProtocol.toUpperCase()}ListenerConfig`;
  return {
    LoadBalancerId: l.LoadBalancerId,
    Bandwidth: -1,
    Description: '',
    BackendServerPort: x.BackendServerPort ?? x.ListenerPort,
    ...rest(x, ['AclIds']),
    ...(listenerAclIds(x).length ? { AclId: listenerAclIds(x)[0] } : {}),
    AclIds: listenerAclIds(x),
    [cfgKey]: healthConfig(x, true),
  };
}

const DescribeLoadBalancers: Handler = ({ p, store }) => {
  const ids = p.csv('LoadBalancerId', 10);
  const addr = p.str('Address');
  const type = p.oneOf('AddressType', ['internet', 'intranet']);
  const vpcId = p.str('VpcId');
  const vswId = p.str('VSwitchId');
  const status = p.oneOf('LoadBalancerStatus', ['inactive', 'active', 'locked']);
  const all = store.loadBalancers.filter(
    (l) =>
      (!ids || ids.includes(l.LoadBalancerId)) &&
      (!addr || l.Address === addr) &&
      (!type || l.AddressType === type) &&
      (!vpcId || l.VpcId === vpcId) &&
      (!vswId || l.VSwitchId === vswId) &&
      (!status || l.LoadBalancerStatus === status),
  );
  const pg = numberPage(all, p, { pageParam: 'PageNumber', def: 10, max: 100 });
  return {
    PageNumber: pg.page,
    PageSize: pg.size,
    TotalCount: pg.total,
    LoadBalancers: {
      LoadBalancer: pg.items.map((l) => ({
        LoadBalancerName: l.LoadBalancerId,
        AddressIPVersion: 'ipv4',
        NetworkType: l.VpcId ? 'vpc' : 'classic',
        RegionId: store.regionId,
        RegionIdAlias: store.regionId,
        CreateTime: '2026-01-05T08:00Z',
        PayType: 'PayOnDemand',
        VpcId: '',
        VSwitchId: '',
        ...rest(l, ['Listeners', 'BackendServers']),
      })),
    },
  };
};

const DescribeLoadBalancerListeners: Handler = ({ p, store }) => {
  const ids = p.list('LoadBalancerId');
  if (ids.length > 10) throw new InvalidParameter('LoadBalancerId.N', 'at most 10 ids');
  const proto = p.oneOf('ListenerProtocol', ['tcp', 'udp', 'http', 'https']);
  const port = p.int('ListenerPort', { min: 1, max: 65535 });
  const lbs = ids.length ? store.loadBalancers.filter((l) => ids.includes(l.LoadBalancerId)) : store.loadBalancers;
  const all = lbs.flatMap((l) =>
    l.Listeners.filter((x) => (!proto || x.ListenerProtocol === proto) && (port === undefined || x.ListenerPort === port)).map((x) => listenerBody(l, x)),
  );
  const t = tokenPage(all, p, { def: 20, min: 1, max: 100 });
  // documented: Listeners is a plain array here (not wrapped)
  return { NextToken: t.nextToken, MaxResults: t.maxResults, TotalCount: t.total, Listeners: t.items };
};

function listenerAttribute(protocol: 'tcp' | 'http' | 'https'): Handler {
  return ({ p, store }) => {
    const l = lb(store, p.req('LoadBalancerId'));
    const port = p.int('ListenerPort', { min: 1, max: 65535 });
    if (port === undefined) throw new InvalidParameter('ListenerPort', 'is required', 'MissingParameter');
    const x = listenerOf(l, port, protocol);
    const body: Record<string, unknown> = {
      LoadBalancerId: l.LoadBalancerId,
      Bandwidth: -1,
      Description: '',
      ...rest(x, ['ListenerProtocol', 'AclIds']),
      ...(listenerAclIds(x).length ? { AclId: listenerAclIds(x)[0] } : {}),
      BackendServerPort: x.VServerGroupId ? undefined : (x.BackendServerPort ?? x.ListenerPort),
      AclIds: { AclId: listenerAclIds(x) },
      ...healthConfig(x),
    };
    if (protocol === 'https') body.ServerCertificateId = (x as Record<string, unknown>).ServerCertificateId ?? 'cert-emulator';
    if (body.BackendServerPort === undefined) delete body.BackendServerPort;
    return body;
  };
}

const DescribeAccessControlListAttribute: Handler = ({ p, store }) => {
  const id = p.req('AclId');
  const acl = store.accessControlLists.find((a) => a.AclId === id);
  if (!acl) throw new ApiError(400, 'AclNotExist', `The specified acl "${id}" does not exist.`);
  const comment = p.str('AclEntryComment');
  const entries = acl.AclEntrys.filter((e) => !comment || e.AclEntryComment === comment).map((e) => ({ AclEntryComment: '', ...e }));
  // documented quirk: page parameter is Page (not PageNumber), PageSize max 50, default 10
  const pg = numberPage(entries, p, { pageParam: 'Page', def: 10, max: 50 });
  const related = store.loadBalancers.flatMap((l) =>
    l.Listeners.filter((x) => listenerAclIds(x).includes(id)).map((x) => ({
      LoadBalancerId: l.LoadBalancerId,
      ListenerPort: x.ListenerPort,
      Protocol: x.ListenerProtocol,
      AclType: x.AclType ?? 'white',
    })),
  );
  return {
    AclName: acl.AclId,
    AddressIPVersion: 'ipv4',
    ResourceGroupId: '',
    ...rest(acl, ['AclEntrys']),
    TotalAclEntry: acl.AclEntrys.length,
    AclEntrys: { AclEntry: pg.items },
    RelatedListeners: { RelatedListener: related },
  };
};

const DescribeHealthStatus: Handler = ({ p, store }) => {
  const l = lb(store, p.req('LoadBalancerId'));
  const port = p.int('ListenerPort', { min: 1, max: 65535 });
  const proto = p.oneOf('ListenerProtocol', ['tcp', 'udp', 'http', 'https']);
  const listeners = l.Listeners.filter((x) => (port === undefined || x.ListenerPort === port) && (!proto || x.ListenerProtocol === proto));
  const servers = listeners.flatMap((x) =>
    l.BackendServers.filter((b) => b.ListenerPort === undefined || b.ListenerPort === x.ListenerPort).map((b) => ({
      ServerIp: '',
      ...rest(b, []),
      ListenerPort: x.ListenerPort,
      Protocol: x.ListenerProtocol,
      // a stopped listener has no health check running
      ServerHealthStatus: x.Status === 'running' ? b.ServerHealthStatus : 'unavailable',
    })),
  );
  return { BackendServers: { BackendServer: servers } };
};

/** AclEntrys: a JSON array of {entry, comment} (the documented form) */
function aclEntrys(p: { req(n: string): string }): { entry: string; comment?: string }[] {
  const raw = p.req('AclEntrys');
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw new InvalidParameter('AclEntrys', 'is not a JSON array');
  }
  if (!Array.isArray(v) || v.some((e) => !e || typeof e !== 'object' || typeof (e as { entry?: unknown }).entry !== 'string')) throw new InvalidParameter('AclEntrys', 'expected [{"entry": "CIDR", "comment": "..."}]');
  return v as { entry: string; comment?: string }[];
}

function aclOf(store: RegionStore, id: string) {
  const acl = store.accessControlLists.find((a) => a.AclId === id);
  if (!acl) throw new ApiError(400, 'AclNotExist', `The specified acl "${id}" does not exist.`);
  return acl;
}

const AddAccessControlListEntry: Handler = ({ p, store }) => {
  const acl = aclOf(store, p.req('AclId'));
  for (const e of aclEntrys(p)) {
    if (acl.AclEntrys.some((x) => x.AclEntryIP === e.entry)) throw new ApiError(400, 'AclEntryExist', `The entry ${e.entry} already exists.`);
    acl.AclEntrys.push({ AclEntryIP: e.entry, ...(e.comment ? { AclEntryComment: e.comment } : {}) });
  }
  return {};
};

const RemoveAccessControlListEntry: Handler = ({ p, store }) => {
  const acl = aclOf(store, p.req('AclId'));
  const gone = aclEntrys(p).map((e) => e.entry);
  for (const e of gone) if (!acl.AclEntrys.some((x) => x.AclEntryIP === e)) throw new ApiError(400, 'AclEntryNotExist', `The entry ${e} does not exist.`);
  acl.AclEntrys = acl.AclEntrys.filter((x) => !gone.includes(x.AclEntryIP));
  return {};
};

export const SLB: ProductSpec = {
  product: 'slb',
  version: '2014-05-15',
  title: 'Slb',
  regionRequired: true,
  actions: {
    DescribeLoadBalancers,
    DescribeLoadBalancerListeners,
    DescribeLoadBalancerTCPListenerAttribute: listenerAttribute('tcp'),
    DescribeLoadBalancerHTTPListenerAttribute: listenerAttribute('http'),
    DescribeLoadBalancerHTTPSListenerAttribute: listenerAttribute('https'),
    DescribeAccessControlListAttribute,
    DescribeHealthStatus,
    AddAccessControlListEntry,
    RemoveAccessControlListEntry,
  },
};
