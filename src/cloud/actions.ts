// Every cloud action the tool calls, with the RAM action that authorizes it, its access level and
// the API reference page the RAM action was read from (the page's "Authorization information"
// table). Collectors, provision, error messages and `acr-preflight policy` all read this one table,
// so the printed policy cannot drift from what the code calls. docs/alibaba-api-contract.md lists the rows.
import type { Product } from './api.js';

export type AccessLevel = 'read' | 'list' | 'write';

export interface ActionSpec {
  product: Product;
  /** API action name as called ("GetRepoSourceCodeRepo") */
  action: string;
  /** RAM action to grant ("cr:GetSourceRepository"): for cr often not `cr:<API action>` */
  ram: string;
  /** access level in the page's authorization table */
  access: AccessLevel;
  /** the public API reference page the RAM action was read from */
  source: string;
  /** read actions are all `check` makes; writes belong to provision */
  write: boolean;
  /** called by provision only (its reads beyond the check, and every write) */
  provision: boolean;
}

const PAGE: Record<Product, (action: string) => string> = {
  ecs: (a) => `https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-${a.toLowerCase()}`,
  vpc: (a) => `https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-${a.toLowerCase()}`,
  slb: (a) => `https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-${a.toLowerCase()}`,
  cr: (a) => `https://www.alibabacloud.com/help/en/acr/developer-reference/api-cr-2018-12-01-${a.toLowerCase()}`,
};

function row(product: Product, action: string, access: AccessLevel, o: { ram?: string; provision?: boolean; source?: string } = {}): ActionSpec {
  return {
    product,
    action,
    ram: o.ram ?? `${product}:${action}`,
    access,
    source: o.source ?? PAGE[product](action),
    write: access === 'write',
    provision: access === 'write' || (o.provision ?? false),
  };
}

export const ACTIONS: readonly ActionSpec[] = [
  row('ecs', 'DescribeInstances', 'list'),
  row('ecs', 'DescribeNetworkInterfaces', 'list'),
  row('ecs', 'DescribeSecurityGroups', 'list'),
  row('ecs', 'DescribeSecurityGroupAttribute', 'read'),
  row('ecs', 'DescribePrefixListAttributes', 'read'),
  row('vpc', 'DescribeVpcAttribute', 'read'),
  row('vpc', 'DescribeVpcs', 'list'),
  row('vpc', 'DescribeVSwitches', 'list'),
  row('vpc', 'DescribeVSwitchAttributes', 'read'),
  row('vpc', 'DescribeNetworkAclAttributes', 'read'),
  row('vpc', 'DescribeVirtualBorderRouters', 'list'),
  row('vpc', 'DescribeRouteEntryList', 'list'),
  row('vpc', 'DescribeBgpPeers', 'list'),
  row('vpc', 'DescribeBgpNetworks', 'list'),
  row('slb', 'DescribeLoadBalancers', 'list'),
  row('slb', 'DescribeLoadBalancerListeners', 'list'),
  row('slb', 'DescribeAccessControlListAttribute', 'read'),
  row('slb', 'DescribeHealthStatus', 'read', { source: 'https://www.alibabacloud.com/help/doc-detail/27635.htm' }),
  row('cr', 'GetInstance', 'read'),
  row('cr', 'GetRepository', 'read', { source: 'https://www.alibabacloud.com/help/en/doc-detail/145294.htm' }),
  row('cr', 'GetRepoSourceCodeRepo', 'read', { ram: 'cr:GetSourceRepository', source: 'https://www.alibabacloud.com/help/doc-detail/206668.htm' }),
  // provision: the reads it needs beyond the check, then the writes
  row('cr', 'ListNamespace', 'list', { provision: true }),
  row('cr', 'ListRepoBuildRule', 'read', { ram: 'cr:ListRepositoryBuildRule', provision: true, source: 'https://help.aliyun.com/document_detail/145304.htm' }),
  row('cr', 'ListRepoBuildRecord', 'list', { ram: 'cr:ListRepositoryBuild', provision: true, source: 'https://help.aliyun.com/document_detail/145305.htm' }),
  row('cr', 'GetRepoBuildRecordStatus', 'read', { ram: 'cr:GetBuildRepositoryStatus', provision: true, source: 'https://help.aliyun.com/document_detail/145306.htm' }),
  row('cr', 'ListRepoBuildRecordLog', 'read', { ram: 'cr:GetRepositoryBuildLog', provision: true, source: 'https://help.aliyun.com/document_detail/451361.html' }),
  row('cr', 'CreateNamespace', 'write'),
  row('cr', 'CreateRepository', 'write'),
  row('cr', 'CreateRepoSourceCodeRepo', 'write', { ram: 'cr:CreateSourceRepository', source: 'https://help.aliyun.com/zh/acr/developer-reference/api-cr-2018-12-01-createreposourcecoderepo' }),
  row('cr', 'UpdateRepoSourceCodeRepo', 'write', { ram: 'cr:UpdateSourceRepository', source: 'https://help.aliyun.com/zh/acr/developer-reference/api-cr-2018-12-01-updatereposourcecoderepo' }),
  row('cr', 'CreateRepoBuildRule', 'write', { ram: 'cr:CreateRepositoryBuildRule', source: 'https://www.alibabacloud.com/help/doc-detail/145302.htm' }),
  row('cr', 'CreateBuildRecordByRule', 'write', { ram: 'cr:BuildRepositoryByRule', source: 'https://help.aliyun.com/document_detail/145301.htm' }),
  row('cr', 'CancelRepoBuildRecord', 'write', { ram: 'cr:CancelBuildRepository', source: 'https://www.alibabacloud.com/help/doc-detail/145300.htm' }),
  row('ecs', 'AuthorizeSecurityGroup', 'write'),
  // provision --fix: the API calls of the proven fixes (rules/*: fixes)
  row('ecs', 'RevokeSecurityGroup', 'write'),
  row('vpc', 'UpdateNetworkAclEntries', 'write'),
  row('slb', 'AddAccessControlListEntry', 'write'),
  row('slb', 'RemoveAccessControlListEntry', 'write'),
];

export function actionSpec(product: Product, action: string): ActionSpec | undefined {
  return ACTIONS.find((a) => a.product === product && a.action === action);
}

export function ramActionFor(product: Product, action: string): string {
  return actionSpec(product, action)?.ram ?? `${product}:${action}`;
}

/** The minimal RAM policy document for check (and with provision: true, for provision too). */
export function minimalPolicy(opts: { provision: boolean }): { Version: string; Statement: { Effect: string; Action: string[]; Resource: string }[] } {
  const used = ACTIONS.filter((a) => !a.provision || opts.provision);
  const reads = [...new Set(used.filter((a) => !a.write).map((a) => a.ram))].sort();
  const writes = [...new Set(used.filter((a) => a.write).map((a) => a.ram))].sort();
  return {
    Version: '1',
    Statement: [
      { Effect: 'Allow', Action: reads, Resource: '*' },
      ...(writes.length ? [{ Effect: 'Allow', Action: writes, Resource: '*' }] : []),
    ],
  };
}
