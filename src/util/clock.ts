// The current time, with one documented test-only override: ACR_PREFLIGHT_TEST_NOW (an ISO time)
// lets the tests move the clock of a spawned CLI (e.g. `analyze` "a year later"). It is read only
// here, only by the commands that judge a saved bundle against "now" (analyze --now, diff), and it
// never changes what is collected.
import { UsageError } from '../errors.js';

export const TEST_NOW_ENV = 'ACR_PREFLIGHT_TEST_NOW';

export function currentTime(env: NodeJS.ProcessEnv): Date {
  const v = env[TEST_NOW_ENV];
  if (v === undefined || v === '') return new Date();
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new UsageError(`${TEST_NOW_ENV}: "${v}" is not an ISO time`, 'unset it (it exists for tests only)');
  return new Date(t);
}
