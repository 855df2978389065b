// Container Registry answers as facts: pure functions of the typed answers (src/facts/responses.ts).
import type { AcrInstance, AcrRepository, SourceBinding } from '../types.js';
import type { GetInstanceResponse, GetRepositoryResponse, GetRepoSourceCodeRepoResponse } from '../responses.js';
import { optional } from './values.js';

/** A GetInstance answer as the instance fact. */
export function normInstance(b: GetInstanceResponse, instanceId: string): AcrInstance {
  return {
    instanceId: String(b.InstanceId ?? instanceId),
    ...optional('instanceName', b.InstanceName),
    status: String(b.InstanceStatus ?? 'UNKNOWN'),
    ...optional('specification', b.InstanceSpecification),
  };
}

/** A GetRepository answer as the repository fact (the names default to the ones asked for). */
export function normRepository(b: GetRepositoryResponse, asked: { namespace: string; repository: string }): AcrRepository {
  return { repoId: String(b.RepoId), repoName: String(b.RepoName ?? asked.repository), repoNamespaceName: String(b.RepoNamespaceName ?? asked.namespace) };
}

/** A GetRepoSourceCodeRepo answer as the binding fact (null: no binding); the flags are strings here. */
export function normSourceBinding(b: GetRepoSourceCodeRepoResponse): SourceBinding | null {
  if (!b.CodeRepoType) return null;
  return {
    codeRepoType: String(b.CodeRepoType),
    codeRepoNamespaceName: String(b.CodeRepoNamespaceName ?? ''),
    codeRepoName: String(b.CodeRepoName ?? ''),
    ...optional('codeRepoDomain', b.CodeRepoDomain),
    overseaBuild: String(b.OverseaBuild) === 'true',
    autoBuild: String(b.AutoBuild) === 'true',
  };
}
