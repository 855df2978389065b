// The seam between collectors/provision and the Alibaba Cloud SDKs. Implementations: the real
// clients (src/cloud/client.ts: @alicloud/ecs20140526, @alicloud/vpc20160428, and the generic
// @alicloud/openapi-core call for slb and cr), with retries, a deadline and bounded concurrency.

export type Product = 'ecs' | 'vpc' | 'slb' | 'cr';

export const API_VERSIONS: Record<Product, string> = {
  ecs: '2014-05-26',
  vpc: '2016-04-28',
  slb: '2014-05-15',
  cr: '2018-12-01',
};

/** A failed call, normalised from the SDK's ThrottlingError/ClientError/ServerError/timeouts. */
export interface CloudCallError extends Error {
  product: Product;
  action: string;
  /** API error code (Forbidden.RAM, Throttling.User, ...) or a transport code (ECONNREFUSED, TIMEOUT) */
  code: string;
  statusCode?: number;
  requestId?: string;
  /** RAM action derived for Forbidden* codes, e.g. "ecs:DescribeInstances" */
  ramAction?: string;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface CloudApi {
  /** Calls an action; resolves with the response body as the API documents it (PascalCase JSON). */
  call(product: Product, action: string, params: Record<string, unknown>, opts?: CallOptions): Promise<Record<string, any>>;
  /** number of HTTP requests made so far (retries included) — for benchmarks and tests */
  readonly requestCount: number;
  /**
   * Who and where: a hash of the cloud endpoint and the caller (the AccessKey id of long-term keys;
   * the credential source of temporary ones, whose key id changes every session). Never a secret.
   * Provision keys its journal on it, so a journal is never read against another account or cloud.
   */
  scope?(): Promise<string>;
}
