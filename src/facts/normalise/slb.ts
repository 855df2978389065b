// SLB answers as facts: pure functions of the typed answers (src/facts/responses.ts).
import type { LoadBalancer, SlbAcl, SlbBackend, SlbListener } from '../types.js';
import type { BackendServerItem, ListenerItem, LoadBalancerItem } from '../responses.js';
import { optional, str } from './values.js';

/** Every ACL id of a listener (AclId and AclIds, wrapped or plain), in order, once each. */
export function listenerAclIds(l: Pick<ListenerItem, 'AclId' | 'AclIds'>): string[] {
  const ids = Array.isArray(l.AclIds) ? l.AclIds : (l.AclIds?.AclId ?? []);
  return [...new Set([str(l.AclId), ...ids.map(str)].filter((x): x is string => Boolean(x)))];
}

/** Whether a listener filters by ACL (AclStatus "on"). */
export const aclOn = (l: ListenerItem): boolean => String(l.AclStatus).toLowerCase() === 'on';

/** A DescribeLoadBalancerListeners entry as a listener fact; every ACL id is kept (aclId = the first, for older readers). */
export function normListener(l: ListenerItem): SlbListener {
  const aclIds = listenerAclIds(l);
  return {
    listenerPort: Number(l.ListenerPort),
    listenerProtocol: String(l.ListenerProtocol ?? 'tcp').toLowerCase(),
    status: String(l.Status ?? 'running'),
    aclStatus: String(l.AclStatus ?? 'off').toLowerCase(),
    ...(str(l.AclType) ? { aclType: String(l.AclType).toLowerCase() } : {}),
    ...(aclIds.length ? { aclIds, aclId: aclIds[0]! } : {}),
    ...(l.BackendServerPort != null ? { backendServerPort: Number(l.BackendServerPort) } : {}),
  };
}

export function normBackend(h: BackendServerItem): SlbBackend {
  return {
    serverId: String(h.ServerId ?? ''),
    ...optional('serverIp', h.ServerIp),
    ...(h.Port != null ? { port: Number(h.Port) } : {}),
    ...(h.ListenerPort != null ? { listenerPort: Number(h.ListenerPort) } : {}),
    healthStatus: String(h.ServerHealthStatus ?? 'unavailable').toLowerCase(),
  };
}

/** The load balancer that holds GitLab's address, with its listeners, their ACLs and its backends. */
export function normLoadBalancer(lb: LoadBalancerItem, parts: { listeners: readonly ListenerItem[]; health: readonly BackendServerItem[]; acls: SlbAcl[] }): LoadBalancer {
  return {
    loadBalancerId: String(lb.LoadBalancerId),
    address: String(lb.Address),
    addressType: String(lb.AddressType ?? 'intranet'),
    ...optional('vpcId', lb.VpcId),
    ...optional('vSwitchId', lb.VSwitchId),
    ...optional('status', lb.LoadBalancerStatus),
    listeners: parts.listeners.map(normListener),
    acls: parts.acls,
    backends: parts.health.map(normBackend),
  };
}
