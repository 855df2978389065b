// cr 2018-12-01 (ACR EE): flat arrays, Code + IsSuccess on every answer, PageNo/PageSize paging,
// TotalCount a string except in ListInstance. Business failures are CrError (HTTP 200, IsSuccess false).
import { CrError } from '../errors.js';
import { numberPage } from '../paginate.js';
import type { Params } from '../params.js';
import { buildEndTime, buildStatus, visibleLines, WORLD_EPOCH, type CrStore } from '../store.js';
import type { CrSourceCodeRepoWorld } from '../world.js';
import { rest } from './shape.js';
import type { Handler, ProductSpec } from './types.js';

const ok = { Code: 'success', IsSuccess: true };

function page<T>(all: T[], p: Params, stringTotal = true): { items: T[]; PageNo: number; PageSize: number; TotalCount: number | string } {
  // documented: max 100 for ListRepository ("rejected or capped"); we cap every cr list at 100
  const pg = numberPage(all, p, { pageParam: 'PageNo', def: 30, max: 100, cap: true });
  return { items: pg.items, PageNo: pg.page, PageSize: pg.size, TotalCount: stringTotal ? String(pg.total) : pg.total };
}

const flag = (v: boolean | 'true' | 'false'): boolean => v === true || v === 'true';

const ListInstance: Handler = ({ p, store }) => {
  const status = p.str('InstanceStatus');
  const name = p.str('InstanceName');
  const all = store.cr.instances.filter((i) => (!status || i.InstanceStatus === status) && (!name || i.InstanceName === name));
  const { items, ...pg } = page(all, p, false);
  return {
    ...ok,
    ...pg,
    Instances: items.map((i) => ({
      RegionId: store.regionId,
      CreateTime: String(WORLD_EPOCH),
      ModifiedTime: String(WORLD_EPOCH),
      ResourceGroupId: '',
      InstanceIssue: '',
      Tags: [],
      ...i,
    })),
  };
};

const GetInstance: Handler = ({ p, store }) => {
  const i = store.cr.instance(p.req('InstanceId'));
  // no RegionId: the cr endpoint is regional and GetInstance's answer does not name the region
  return { ...ok, CreateTime: WORLD_EPOCH, ModifiedTime: WORLD_EPOCH, ResourceGroupId: '', InstanceIssue: '', Tags: [], ...i };
};

const ListNamespace: Handler = ({ p, store }) => {
  const inst = p.req('InstanceId');
  store.cr.instance(inst);
  const name = p.str('NamespaceName');
  const status = p.str('NamespaceStatus');
  const all = store.cr.namespaces.filter(
    (n) => n.InstanceId === inst && (!name || n.NamespaceName === name) && (!status || n.NamespaceStatus === status),
  );
  const { items, ...pg } = page(all, p);
  return { ...ok, ...pg, Namespaces: items.map((n) => ({ ResourceGroupId: '', ...n })) };
};

const CreateNamespace: Handler = ({ p, store }) => {
  store.cr.createNamespace({
    InstanceId: p.req('InstanceId'),
    NamespaceName: p.req('NamespaceName'),
    AutoCreateRepo: p.bool('AutoCreateRepo') ?? false,
    // DefaultRepoType is deprecated for DefaultRepoConfiguration.RepoType; both are still read
    DefaultRepoType: p.oneOf('DefaultRepoConfiguration.RepoType', ['PUBLIC', 'PRIVATE']) ?? p.oneOf('DefaultRepoType', ['PUBLIC', 'PRIVATE']) ?? 'PRIVATE',
  });
  return { ...ok };
};

function repoBody(r: CrStore['repositories'][number]): Record<string, unknown> {
  return { ResourceGroupId: '', ...rest(r, ['CreateTime']), CreateTime: r.CreateTime, ModifiedTime: r.CreateTime };
}

const ListRepository: Handler = ({ p, store }) => {
  const inst = p.req('InstanceId');
  store.cr.instance(inst);
  const ns = p.str('RepoNamespaceName');
  const name = p.str('RepoName');
  const status = p.str('RepoStatus');
  const all = store.cr.repositories.filter(
    (r) =>
      r.InstanceId === inst &&
      (!ns || r.RepoNamespaceName === ns) &&
      (!name || r.RepoName === name) &&
      (!status || status === 'ALL' || r.RepoStatus === status),
  );
  const { items, ...pg } = page(all, p);
  return { ...ok, ...pg, Repositories: items.map(repoBody) };
};

const GetRepository: Handler = ({ p, store }) => {
  const inst = p.req('InstanceId');
  const id = p.str('RepoId');
  const r = id ? store.cr.repo(inst, id) : store.cr.repoByName(inst, p.req('RepoNamespaceName'), p.req('RepoName'));
  return { ...ok, Detail: '', ...repoBody(r) };
};

const CreateRepository: Handler = ({ p, store }) => {
  const RepoId = store.cr.createRepository({
    InstanceId: p.req('InstanceId'),
    RepoNamespaceName: p.req('RepoNamespaceName'),
    RepoName: p.req('RepoName'),
    RepoType: p.oneOf('RepoType', ['PUBLIC', 'PRIVATE']) ?? (p.req('RepoType') as never),
    Summary: p.req('Summary'),
    Detail: p.str('Detail'),
    TagImmutability: p.bool('TagImmutability') ?? false,
  });
  return { ...ok, RepoId };
};

const GetRepoSourceCodeRepo: Handler = ({ p, store }) => {
  const inst = p.req('InstanceId');
  const repoId = p.req('RepoId');
  store.cr.repo(inst, repoId);
  const s = store.cr.sourceOf(inst, repoId);
  if (!s) throw new CrError('REPO_SOURCE_NOT_EXIST', `repository ${repoId} has no code repository binding`); // ours
  const account = store.cr.codeSource(inst, s.CodeRepoType);
  return {
    ...ok,
    RepoId: repoId,
    CodeRepoType: s.CodeRepoType,
    CodeRepoDomain: account ? new URL(account.endpoint).origin : '',
    CodeRepoNamespaceName: s.CodeRepoNamespaceName,
    CodeRepoName: s.CodeRepoName,
    // documented quirk: these three are strings "true"/"false" in this response
    AutoBuild: String(flag(s.AutoBuild)),
    OverseaBuild: String(flag(s.OverseaBuild)),
    DisableCacheBuild: String(flag(s.DisableCacheBuild)),
  };
};

function sourceFromParams(p: Params, prev?: CrSourceCodeRepoWorld): CrSourceCodeRepoWorld {
  return {
    InstanceId: p.req('InstanceId'),
    RepoId: p.req('RepoId'),
    CodeRepoType: p.oneOf('CodeRepoType', ['GITHUB', 'GITLAB', 'GITEE', 'CODE', 'CODEUP']) ?? (p.req('CodeRepoType') as never),
    CodeRepoNamespaceName: p.req('CodeRepoNamespaceName'),
    CodeRepoName: p.req('CodeRepoName'),
    AutoBuild: p.bool('AutoBuild') ?? prev?.AutoBuild ?? false,
    OverseaBuild: p.bool('OverseaBuild') ?? prev?.OverseaBuild ?? false,
    DisableCacheBuild: p.bool('DisableCacheBuild') ?? prev?.DisableCacheBuild ?? false,
  };
}

const CreateRepoSourceCodeRepo: Handler = ({ p, store, hooks }) => {
  store.cr.setSource(sourceFromParams(p), 'create', hooks.projectVisible);
  return { ...ok };
};

const UpdateRepoSourceCodeRepo: Handler = ({ p, store, hooks }) => {
  const prev = store.cr.sourceOf(p.req('InstanceId'), p.req('RepoId'));
  store.cr.setSource(sourceFromParams(p, prev), 'update', hooks.projectVisible);
  return { ...ok };
};

const CreateRepoBuildRule: Handler = ({ p, store }) => {
  const BuildRuleId = store.cr.createBuildRule({
    InstanceId: p.req('InstanceId'),
    RepoId: p.req('RepoId'),
    PushType: p.oneOf('PushType', ['GIT_BRANCH', 'GIT_TAG']) ?? (p.req('PushType') as never),
    PushName: p.req('PushName'),
    ImageTag: p.req('ImageTag'),
    DockerfileLocation: p.str('DockerfileLocation') ?? '/',
    DockerfileName: p.str('DockerfileName') ?? 'Dockerfile',
    BuildArgs: p.list('BuildArgs'),
    Platforms: p.list('Platforms').length ? p.list('Platforms') : ['linux/amd64'],
  });
  return { ...ok, BuildRuleId };
};

const ListRepoBuildRule: Handler = ({ p, store }) => {
  const inst = p.req('InstanceId');
  const repoId = p.req('RepoId');
  store.cr.repo(inst, repoId);
  const all = store.cr.buildRules.filter((r) => r.InstanceId === inst && r.RepoId === repoId);
  const { items, ...pg } = page(all, p);
  return { ...ok, ...pg, BuildRules: items.map((r) => rest(r, ['InstanceId', 'RepoId'])) };
};

const CreateBuildRecordByRule: Handler = ({ p, store, now, hooks }) => {
  const BuildRecordId = store.cr.startBuild(p.req('InstanceId'), p.req('RepoId'), p.req('BuildRuleId'), now, hooks.cloneCheck);
  return { ...ok, BuildRecordId };
};

const ListRepoBuildRecord: Handler = ({ p, store, now }) => {
  const inst = p.req('InstanceId');
  const repoId = p.req('RepoId');
  store.cr.repo(inst, repoId);
  const all = store.cr.buildRecords.filter((r) => r.InstanceId === inst && r.RepoId === repoId).reverse(); // newest first
  const { items, ...pg } = page(all, p);
  return {
    ...ok,
    ...pg,
    BuildRecords: items.map((r) => {
      const end = buildEndTime(r, now);
      return {
        BuildRecordId: r.BuildRecordId,
        BuildStatus: buildStatus(r, now),
        // documented quirk: epoch-ms strings here
        StartTime: String(r.createdAt),
        EndTime: end !== undefined ? String(end) : '',
        Image: { ...r.image },
      };
    }),
  };
};

const GetRepoBuildRecord: Handler = ({ p, store, now }) => {
  const r = store.cr.buildRecord(p.req('InstanceId'), p.req('BuildRecordId'));
  const end = buildEndTime(r, now);
  return {
    ...ok,
    BuildRecordId: r.BuildRecordId,
    // the documented field "Status" (meaning undocumented); we report the build status
    Status: buildStatus(r, now),
    StartTime: r.createdAt,
    ...(end !== undefined ? { EndTime: end } : {}),
    Image: { RepoNamespaceName: r.image.RepoNamespaceName, RepoName: r.image.RepoName, ImageTag: r.image.ImageTag },
  };
};

const GetRepoBuildRecordStatus: Handler = ({ p, store, now }) => {
  const inst = p.req('InstanceId');
  const repoId = p.req('RepoId');
  const r = store.cr.buildRecord(inst, p.req('BuildRecordId'));
  if (r.RepoId !== repoId) throw new CrError('BUILD_RECORD_NOT_EXIST', `build record ${r.BuildRecordId} does not belong to ${repoId}`); // ours
  // documented example answers lowercase ("success") here, uppercase in ListRepoBuildRecord: compare case-insensitively
  return { ...ok, BuildStatus: buildStatus(r, now).toLowerCase() };
};

const ListRepoBuildRecordLog: Handler = ({ p, store, now }) => {
  const r = store.cr.buildRecord(p.req('InstanceId'), p.req('BuildRecordId'));
  const repoId = p.str('RepoId');
  if (repoId && r.RepoId !== repoId) throw new CrError('BUILD_RECORD_NOT_EXIST', `build record ${r.BuildRecordId} does not belong to ${repoId}`); // ours
  // Offset = number of lines already read: lines with LineNumber > Offset come back, at most 100
  const offset = p.int('Offset', { min: 0 }) ?? 0;
  const lines = visibleLines(r, now).map((l, i) => ({ LineNumber: i + 1, ...l }));
  const items = lines.filter((l) => l.LineNumber > offset).slice(0, 100);
  return { ...ok, PageNo: 1, PageSize: 100, TotalCount: String(lines.length), BuildRecordLogs: items };
};

const CancelRepoBuildRecord: Handler = ({ p, store, now }) => {
  store.cr.cancelBuild(p.req('InstanceId'), p.req('RepoId'), p.req('BuildRecordId'), now);
  return { ...ok };
};

export const CR: ProductSpec = {
  product: 'cr',
  version: '2018-12-01',
  title: 'cr',
  regionRequired: false,
  actions: {
    ListInstance,
    GetInstance,
    ListNamespace,
    CreateNamespace,
    ListRepository,
    GetRepository,
    CreateRepository,
    GetRepoSourceCodeRepo,
    CreateRepoSourceCodeRepo,
    UpdateRepoSourceCodeRepo,
    CreateRepoBuildRule,
    ListRepoBuildRule,
    CreateBuildRecordByRule,
    ListRepoBuildRecord,
    GetRepoBuildRecord,
    GetRepoBuildRecordStatus,
    ListRepoBuildRecordLog,
    CancelRepoBuildRecord,
  },
};
