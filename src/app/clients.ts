// The clients a run talks through, built from a loaded config.
import type { CloudApi } from '../cloud/api.js';
import { createCloudApi } from '../cloud/client.js';
import { credentialsFor } from '../cloud/credentials.js';
import type { LoadedConfig } from '../config/types.js';

/**
 * The cloud client for a loaded config (credentials resolved now: a missing key fails here, one line).
 * The client outlives any one run (the TUI and provision reuse it), so deadlines and cancellation
 * travel with each call (`call(..., { signal })`), never with the client; `signal` only aborts the
 * creation itself.
 */
export async function cloudApiFor(loaded: LoadedConfig, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<CloudApi> {
  const { config } = loaded;
  const api = await createCloudApi({
    region: config.region,
    ...(config.cloud?.endpoint ? { endpoint: config.cloud.endpoint } : {}),
    credentials: credentialsFor({ ...(config.cloud?.profile ? { profile: config.cloud.profile } : {}), env }),
    env,
  });
  if (signal?.aborted) throw signal.reason;
  return api;
}
