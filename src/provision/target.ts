// What provision works on: the instance, namespace and repository of the config, and the GitLab project.
import type { Config } from '../config/types.js';
import { UsageError } from '../errors.js';
import { journalKey } from './journal.js';
import type { PlanTarget } from './types.js';

export function targetOf(config: Config): PlanTarget {
  if (!config.acr.namespace || !config.acr.repository) {
    throw new UsageError('provision needs acr.namespace and acr.repository in the config', 'add them (the repository is created if missing)');
  }
  const t = { region: config.region, instanceId: config.acr.instanceId, namespace: config.acr.namespace, repository: config.acr.repository, project: config.gitlab.project };
  if (!t.project.includes('/')) throw new UsageError(`gitlab.project "${t.project}" has no namespace`, 'write it as group/project');
  return { ...t, key: journalKey(t) };
}
