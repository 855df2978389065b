// One measured collection, run in its own process (compiled: dist/bench/check-child.js) so wall
// time and peak RSS are the tool's alone. Prints one JSON line.
import { loadConfig } from '../src/config/load.js';
import { createCloudApi } from '../src/cloud/client.js';
import { credentialsFor } from '../src/cloud/credentials.js';
import { checkOnce } from '../src/app/check.js';

const [cfg] = process.argv.slice(2);
const ci = process.argv.indexOf('--concurrency');
const concurrency = ci > 0 ? Number(process.argv[ci + 1]) : 16;
const loaded = loadConfig({ file: cfg!, env: process.env, cwd: process.cwd() });
const api = await createCloudApi({
  region: loaded.config.region,
  endpoint: loaded.config.cloud!.endpoint!,
  credentials: credentialsFor({ env: process.env }),
  concurrency,
  env: process.env,
});
const noProbes = process.argv.includes('--no-probes');
// warm-up: the SDK runtime loads parts of itself on the first request; a check loads the rules, the
// engine and the answers' schemas while it waits for answers (at 0 ms there is no wait): load them here, so
// this measures the collection and the rules, and the whole-process bench the loading
await api.call('cr', 'GetInstance', { InstanceId: loaded.config.acr.instanceId }).catch(() => {});
await Promise.all([
  import('../rules/index.js'),
  import('../src/engine/runner.js'),
  import('../src/engine/zones.js').then((m) => m.loadZoneTable()),
  import('../src/facts/responses.js').then((m) => m.warmResponseSchemas(m.ACTION_KEYS)),
]);
const before = api.requestCount;
const t0 = performance.now();
const { report } = await checkOnce(loaded, { env: process.env, api, noProbes });
const wallMs = performance.now() - t0;
for (const r of report.results) if (r.status === "error") process.stderr.write(`${r.ruleId}: ${r.message}\n`);
process.stdout.write(`${JSON.stringify({ wallMs, calls: api.requestCount - before, maxRssMb: process.resourceUsage().maxRSS / 1024, verdict: report.verdict })}\n`);
