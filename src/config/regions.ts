// The Alibaba Cloud region ids a config may name, as data with its source. A region id outside this
// list is a config error naming the nearest listed id (a typo like "cn-hangzou" must not reach the
// API and come back as "instance does not exist"). Sources (public pages, retrieved 2026-12-03):
//   https://www.alibabacloud.com/help/en/ecs/product-overview/regions-and-zones/  ("Regions and zones")
//   https://help.aliyun.com/en/cs/product-overview/open-service-area  (lists ap-southeast-6/7/8, us-southeast-1)
//   https://www.alibabacloud.com/help/doc-detail/72379.htm  ("Region list", incl. ap-south-1 and the Finance Cloud regions)
// docs/regions.md quotes them. A region Alibaba opens later must be added here.

export const REGION_SOURCE = 'https://www.alibabacloud.com/help/en/ecs/product-overview/regions-and-zones/';
export const REGIONS_RETRIEVED = '2026-12-03';

export const REGIONS: readonly string[] = [
  // Chinese mainland, Hong Kong
  'cn-qingdao', 'cn-beijing', 'cn-zhangjiakou', 'cn-huhehaote', 'cn-wulanchabu', 'cn-hangzhou', 'cn-shanghai',
  'cn-nanjing', 'cn-fuzhou', 'cn-wuhan-lr', 'cn-shenzhen', 'cn-heyuan', 'cn-guangzhou', 'cn-chengdu', 'cn-hongkong',
  // Asia Pacific
  'ap-northeast-1', 'ap-northeast-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-5',
  'ap-southeast-6', 'ap-southeast-7', 'ap-southeast-8', 'ap-south-1',
  // Europe, Americas, Middle East
  'us-east-1', 'us-west-1', 'us-southeast-1', 'na-south-1', 'eu-central-1', 'eu-west-1', 'me-east-1', 'me-central-1',
  // Finance Cloud
  'cn-hangzhou-finance', 'cn-shanghai-finance-1', 'cn-shenzhen-finance-1', 'cn-beijing-finance-1',
];

export function isKnownRegion(id: string): boolean {
  return REGIONS.includes(id);
}
