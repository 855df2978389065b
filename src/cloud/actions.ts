// Every cloud action the tool calls, with its RAM action. Collectors, provision and `policy` all read
// this one table, so the minimal policy cannot drift from what the code does.
import type { Product } from './api.js';

export interface ActionSpec {
  product: Product;
  action: string;
  /** read actions are all `check`/`collect` make; writes belong to provision */
  write: boolean;
  /** RAM action to grant ("ecs:DescribeInstances"); cr actions use ACR's own names where documented */
  ram: string;
  /** used by provision only */
  provision?: boolean;
  /** the RAM name is our reading, not in Alibaba's ACR authorization table (docs/alibaba-api.md, "RAM actions") */
  unconfirmed?: boolean;
}

const read = (product: Product, action: string, ram = `${product}:${action}`, provision = false): ActionSpec => ({ product, action, write: false, ram, provision });
const write = (product: Product, action: string, ram = `${product}:${action}`): ActionSpec => ({ product, action, write: true, ram, provision: true });

/** cr actions whose RAM names Alibaba documents (docs/alibaba-api.md, "RAM actions"); the others are inferred */
const CR_CONFIRMED = new Set(['cr:CreateSourceRepository', 'cr:UpdateSourceRepository', 'cr:CreateRepositoryBuildRule', 'cr:ListRepositoryBuild', 'cr:GetRepositoryBuildRecord', 'cr:GetBuildRepositoryStatus']);

const ALL: readonly ActionSpec[] = [
  read('ecs', 'DescribeInstances'),
  read('ecs', 'DescribeNetworkInterfaces'),
  read('ecs', 'DescribeSecurityGroups'),
  read('ecs', 'DescribeSecurityGroupAttribute'),
  read('ecs', 'DescribePrefixListAttributes'),
  read('vpc', 'DescribeVpcAttribute'),
  read('vpc', 'DescribeVSwitches'),
  read('vpc', 'DescribeVSwitchAttributes'),
  read('vpc', 'DescribeNetworkAclAttributes'),
  read('vpc', 'DescribeVirtualBorderRouters'),
  read('vpc', 'DescribeRouteEntryList'),
  read('vpc', 'DescribeBgpPeers'),
  read('vpc', 'DescribeBgpNetworks'),
  read('slb', 'DescribeLoadBalancers'),
  read('slb', 'DescribeLoadBalancerListeners'),
  read('slb', 'DescribeAccessControlListAttribute'),
  read('slb', 'DescribeHealthStatus'),
  read('cr', 'GetInstance'),
  read('cr', 'GetRepository'),
  read('cr', 'GetRepoSourceCodeRepo'),
  // provision: reads it needs beyond the check, then writes
  read('cr', 'ListNamespace', 'cr:ListNamespace', true),
  read('cr', 'ListRepoBuildRule', 'cr:ListRepositoryBuildRule', true),
  read('cr', 'ListRepoBuildRecord', 'cr:ListRepositoryBuild', true),
  read('cr', 'GetRepoBuildRecordStatus', 'cr:GetBuildRepositoryStatus', true),
  read('cr', 'ListRepoBuildRecordLog', 'cr:GetRepositoryBuildRecord', true),
  write('cr', 'CreateNamespace'),
  write('cr', 'CreateRepository'),
  write('cr', 'CreateRepoSourceCodeRepo', 'cr:CreateSourceRepository'),
  write('cr', 'UpdateRepoSourceCodeRepo', 'cr:UpdateSourceRepository'),
  write('cr', 'CreateRepoBuildRule', 'cr:CreateRepositoryBuildRule'),
  write('cr', 'CreateBuildRecordByRule', 'cr:CreateRepositoryBuildRecord'),
  write('cr', 'CancelRepoBuildRecord', 'cr:CancelRepositoryBuild'),
  write('ecs', 'AuthorizeSecurityGroup'),
];

export const ACTIONS: readonly ActionSpec[] = ALL.map((a) => (a.product === 'cr' && !CR_CONFIRMED.has(a.ram) ? { ...a, unconfirmed: true } : a));

export function ramActionFor(product: Product, action: string): string {
  return ACTIONS.find((a) => a.product === product && a.action === action)?.ram ?? `${product}:${action}`;
}

/** RAM names in the policy that are inferred rather than documented. */
export function unconfirmedRamActions(opts: { provision: boolean }): string[] {
  return [...new Set(ACTIONS.filter((a) => (!a.provision || opts.provision) && a.unconfirmed).map((a) => a.ram))].sort();
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
