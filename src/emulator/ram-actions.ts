// The emulator's own reading of Alibaba's API reference: the RAM action each served API action needs
// (the "Authorization information" table of the action's reference page, one page per row) and the
// documented refusal of each product. Data only, kept apart from the tool's own table on purpose:
// test/contract/ram.test.ts compares the two and names any difference.

export interface RamRefusal {
  status: number;
  code: string;
  /** where the code is documented */
  page: string;
}

export const RAM_REFUSAL: Record<'ecs' | 'vpc' | 'slb' | 'cr', RamRefusal> = {
  // every cr API page lists `403 NoPrivilege  Access denied for this user.`
  cr: { status: 403, code: 'NoPrivilege', page: 'https://help.aliyun.com/zh/acr/developer-reference/api-cr-2018-12-01-getrepobuildrecordstatus' },
  ecs: { status: 403, code: 'Forbidden.RAM', page: 'https://help.aliyun.com/document_detail/435312.html' },
  vpc: { status: 403, code: 'Forbidden.RAM', page: 'https://help.aliyun.com/document_detail/435312.html' },
  slb: { status: 403, code: 'Forbidden.RAM', page: 'https://help.aliyun.com/document_detail/435312.html' },
};

/** "product:ApiAction" → RAM action and the reference page it was read from */
export const RAM_ACTIONS: Readonly<Record<string, { ram: string; page: string }>> = {
  'ecs:DescribeInstances': { ram: 'ecs:DescribeInstances', page: 'https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-describeinstances' },
  'ecs:DescribeNetworkInterfaces': { ram: 'ecs:DescribeNetworkInterfaces', page: 'https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-describenetworkinterfaces' },
  'ecs:DescribeSecurityGroups': { ram: 'ecs:DescribeSecurityGroups', page: 'https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-describesecuritygroups' },
  'ecs:DescribeSecurityGroupAttribute': { ram: 'ecs:DescribeSecurityGroupAttribute', page: 'https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-describesecuritygroupattribute' },
  'ecs:DescribePrefixListAttributes': { ram: 'ecs:DescribePrefixListAttributes', page: 'https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-describeprefixlistattributes' },
  'ecs:AuthorizeSecurityGroup': { ram: 'ecs:AuthorizeSecurityGroup', page: 'https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-authorizesecuritygroup' },
  'ecs:RevokeSecurityGroup': { ram: 'ecs:RevokeSecurityGroup', page: 'https://www.alibabacloud.com/help/en/ecs/developer-reference/api-ecs-2014-05-26-revokesecuritygroup' },
  'vpc:UpdateNetworkAclEntries': { ram: 'vpc:UpdateNetworkAclEntries', page: 'https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-updatenetworkaclentries' },
  'slb:AddAccessControlListEntry': { ram: 'slb:AddAccessControlListEntry', page: 'https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-addaccesscontrollistentry' },
  'slb:RemoveAccessControlListEntry': { ram: 'slb:RemoveAccessControlListEntry', page: 'https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-removeaccesscontrollistentry' },
  'vpc:DescribeVpcs': { ram: 'vpc:DescribeVpcs', page: 'https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-describevpcs' },
  'vpc:DescribeVpcAttribute': { ram: 'vpc:DescribeVpcAttribute', page: 'https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-describevpcattribute' },
  'vpc:DescribeVSwitches': { ram: 'vpc:DescribeVSwitches', page: 'https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-describevswitches' },
  'vpc:DescribeVSwitchAttributes': { ram: 'vpc:DescribeVSwitchAttributes', page: 'https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-describevswitchattributes' },
  'vpc:DescribeNetworkAcls': { ram: 'vpc:DescribeNetworkAcls', page: 'https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-describenetworkacls' },
  'vpc:DescribeNetworkAclAttributes': { ram: 'vpc:DescribeNetworkAclAttributes', page: 'https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-describenetworkaclattributes' },
  'vpc:DescribeVirtualBorderRouters': { ram: 'vpc:DescribeVirtualBorderRouters', page: 'https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-describevirtualborderrouters' },
  'vpc:DescribeRouteTableList': { ram: 'vpc:DescribeRouteTableList', page: 'https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-describeroutetablelist' },
  'vpc:DescribeRouteEntryList': { ram: 'vpc:DescribeRouteEntryList', page: 'https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-describerouteentrylist' },
  'vpc:DescribeBgpPeers': { ram: 'vpc:DescribeBgpPeers', page: 'https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-describebgppeers' },
  'vpc:DescribeBgpNetworks': { ram: 'vpc:DescribeBgpNetworks', page: 'https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-describebgpnetworks' },
  'vpc:DescribeRouterInterfaces': { ram: 'vpc:DescribeRouterInterfaces', page: 'https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-describerouterinterfaces' },
  'slb:DescribeLoadBalancers': { ram: 'slb:DescribeLoadBalancers', page: 'https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-describeloadbalancers' },
  'slb:DescribeLoadBalancerListeners': { ram: 'slb:DescribeLoadBalancerListeners', page: 'https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-describeloadbalancerlisteners' },
  'slb:DescribeLoadBalancerTCPListenerAttribute': { ram: 'slb:DescribeLoadBalancerTCPListenerAttribute', page: 'https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-describeloadbalancertcplistenerattribute' },
  'slb:DescribeLoadBalancerHTTPListenerAttribute': { ram: 'slb:DescribeLoadBalancerHTTPListenerAttribute', page: 'https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-describeloadbalancerhttplistenerattribute' },
  'slb:DescribeLoadBalancerHTTPSListenerAttribute': { ram: 'slb:DescribeLoadBalancerHTTPSListenerAttribute', page: 'https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-describeloadbalancerhttpslistenerattribute' },
  'slb:DescribeAccessControlListAttribute': { ram: 'slb:DescribeAccessControlListAttribute', page: 'https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-describeaccesscontrollistattribute' },
  'slb:DescribeHealthStatus': { ram: 'slb:DescribeHealthStatus', page: 'https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-describehealthstatus' },
  'cr:ListInstance': { ram: 'cr:ListInstance', page: 'https://www.alibabacloud.com/help/en/acr/developer-reference/api-cr-2018-12-01-listinstance' },
  'cr:GetInstance': { ram: 'cr:GetInstance', page: 'https://www.alibabacloud.com/help/en/acr/developer-reference/api-cr-2018-12-01-getinstance' },
  'cr:ListNamespace': { ram: 'cr:ListNamespace', page: 'https://www.alibabacloud.com/help/en/acr/developer-reference/api-cr-2018-12-01-listnamespace' },
  'cr:CreateNamespace': { ram: 'cr:CreateNamespace', page: 'https://www.alibabacloud.com/help/en/acr/developer-reference/api-cr-2018-12-01-createnamespace' },
  'cr:ListRepository': { ram: 'cr:ListRepository', page: 'https://www.alibabacloud.com/help/en/acr/developer-reference/api-cr-2018-12-01-listrepository' },
  'cr:GetRepository': { ram: 'cr:GetRepository', page: 'https://www.alibabacloud.com/help/en/acr/developer-reference/api-cr-2018-12-01-getrepository' },
  'cr:CreateRepository': { ram: 'cr:CreateRepository', page: 'https://www.alibabacloud.com/help/en/acr/developer-reference/api-cr-2018-12-01-createrepository' },
  'cr:GetRepoSourceCodeRepo': { ram: 'cr:GetSourceRepository', page: 'https://www.alibabacloud.com/help/en/acr/developer-reference/api-cr-2018-12-01-getreposourcecoderepo' },
  'cr:CreateRepoSourceCodeRepo': { ram: 'cr:CreateSourceRepository', page: 'https://www.alibabacloud.com/help/en/acr/developer-reference/api-cr-2018-12-01-createreposourcecoderepo' },
  'cr:UpdateRepoSourceCodeRepo': { ram: 'cr:UpdateSourceRepository', page: 'https://www.alibabacloud.com/help/en/acr/developer-reference/api-cr-2018-12-01-updatereposourcecoderepo' },
  'cr:CreateRepoBuildRule': { ram: 'cr:CreateRepositoryBuildRule', page: 'https://www.alibabacloud.com/help/en/acr/developer-reference/api-cr-2018-12-01-createrepobuildrule' },
  'cr:ListRepoBuildRule': { ram: 'cr:ListRepositoryBuildRule', page: 'https://www.alibabacloud.com/help/en/acr/developer-reference/api-cr-2018-12-01-listrepobuildrule' },
  'cr:CreateBuildRecordByRule': { ram: 'cr:BuildRepositoryByRule', page: 'https://www.alibabacloud.com/help/en/acr/developer-reference/api-cr-2018-12-01-createbuildrecordbyrule' },
  'cr:ListRepoBuildRecord': { ram: 'cr:ListRepositoryBuild', page: 'https://www.alibabacloud.com/help/en/acr/developer-reference/api-cr-2018-12-01-listrepobuildrecord' },
  'cr:GetRepoBuildRecord': { ram: 'cr:GetRepositoryBuildRecord', page: 'https://www.alibabacloud.com/help/en/acr/developer-reference/api-cr-2018-12-01-getrepobuildrecord' },
  'cr:GetRepoBuildRecordStatus': { ram: 'cr:GetBuildRepositoryStatus', page: 'https://www.alibabacloud.com/help/en/acr/developer-reference/api-cr-2018-12-01-getrepobuildrecordstatus' },
  'cr:ListRepoBuildRecordLog': { ram: 'cr:GetRepositoryBuildLog', page: 'https://www.alibabacloud.com/help/en/acr/developer-reference/api-cr-2018-12-01-listrepobuildrecordlog' },
  'cr:CancelRepoBuildRecord': { ram: 'cr:CancelBuildRepository', page: 'https://www.alibabacloud.com/help/en/acr/developer-reference/api-cr-2018-12-01-cancelrepobuildrecord' },
};
