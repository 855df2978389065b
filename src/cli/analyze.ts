// `acr-preflight analyze bundle.json`: judge a support bundle (or a bare fact snapshot) offline, with
// the same rules, gate and reports as `check`. By default it reproduces the verdict of the
// collection (expiries as of the collection time, the recorded flags and waivers); `--now` re-judges
// as of today; flags given here replace the recorded ones. The report's header says which.
import { resolve } from 'node:path';
import { RULES } from '../../rules/index.js';
import { judgeSaved, loadSaved } from '../app/bundles.js';
import { loadConfig } from '../config/load.js';
import type { LoadedConfig } from '../config/types.js';
import { loadZoneTable, withOverrides } from '../engine/zones.js';
import { UsageError } from '../errors.js';
import { currentTime } from '../util/clock.js';
import { reportContext } from '../report/types.js';
import type { CommandContext } from './context.js';
import { parseGateOptions } from './gate-options.js';
import { parseOutputPlan, writeOutputs } from './output.js';

export async function run(ctx: CommandContext): Promise<number> {
  const { io, values } = ctx;
  const file = ctx.positionals[0];
  if (!file) throw new UsageError('analyze needs a bundle file', 'usage: acr-preflight analyze bundle.json [--format ...] [--now]');
  const ruleIds = RULES.map((r) => r.id);
  const gate = parseGateOptions(values, ruleIds);
  const targets = parseOutputPlan(values, io.cwd);
  const input = loadSaved(file, io.cwd);
  if (input.kind === 'report') throw new UsageError(`${file}: a report, not a bundle`, 'analyze reads bundles written by `acr-preflight collect`');
  let loaded: LoadedConfig | undefined;
  if (typeof values.config === 'string') {
    loaded = loadConfig({ file: values.config, env: io.env, cwd: io.cwd, ruleIds });
    for (const w of loaded.warnings) io.stderr.write(`acr-preflight: warning: ${w}\n`);
  }
  const zoneAdditions = loaded?.config.zones;
  const report = judgeSaved(input, {
    ...(values.now === true ? { now: currentTime(io.env) } : {}),
    ...(values['fail-on'] !== undefined ? { failOn: gate.failOn } : {}),
    ...(gate.only ? { only: gate.only } : {}),
    ...(gate.skip ? { skip: gate.skip } : {}),
    ...(gate.noWaivers ? { noWaivers: true } : {}),
    ...(loaded ? { configWaivers: loaded.config.waivers ?? [] } : {}),
    ...(zoneAdditions ? { zones: withOverrides(withOverrides(loadZoneTable(), input.facts.input.zoneOverrides), zoneAdditions) } : {}),
  });
  const artifact = loaded && loaded.file !== '<env>' ? loaded.file : resolve(io.cwd, file);
  await writeOutputs(report, targets, { io, rules: RULES, color: ctx.color, artifactUri: artifact, context: reportContext('analyze', input.facts, file) });
  return report.exitCode;
}
