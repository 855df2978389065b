import type { Params } from '../params.js';
import type { CloneCheck, CloudState, RegionStore } from '../store.js';
import type { CodeSourceWorld } from '../world.js';

/** What the GitLab side tells the cloud side (the build clones, the binding looks up a project). */
export interface GitlabHooks {
  projectVisible(source: CodeSourceWorld, namespace: string, name: string): boolean;
  cloneCheck: CloneCheck;
}

export interface HandlerContext {
  p: Params;
  regionId: string;
  store: RegionStore;
  state: CloudState;
  now: number;
  hooks: GitlabHooks;
}

/** A thin handler: read params, call the store, shape the documented response (RequestId added by the server). */
export type Handler = (c: HandlerContext) => Record<string, unknown>;

/** Whether the action needs RegionId (ecs/vpc/slb do; cr carries the region in its endpoint). */
export interface ProductSpec {
  product: 'ecs' | 'vpc' | 'slb' | 'cr';
  version: string;
  /** name used in Recommend URLs and HostId */
  title: string;
  regionRequired: boolean;
  actions: Record<string, Handler>;
}
