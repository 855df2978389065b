// System tests: the real binary in a real terminal (tmux), against the emulator, read as a person
// would read the screen. Each test has its own tmux server (-L socket) and kills only that one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BIN, ROOT } from '../helpers/cli.js';
import { demoSetup } from '../../src/cli/demo.js';
import { CONFIGS_DIR, control, DEMO_GITLAB_TOKEN, DEMO_KEY, loadFixtureWorld, prepareConfig, startTestEmulator, worldPath } from '../helpers/emulator.js';
import { Journal, journalKey } from '../../src/provision/journal.js';
import { haveTmux, Tmux } from './tmux.js';

const skip = haveTmux() ? false : 'tmux is not installed';

async function setup(t: { after: (fn: () => Promise<void> | void) => void }, world: string, worldObject?: Record<string, unknown>) {
  const em = await startTestEmulator(worldObject ?? world);
  const dir = mkdtempSync(join(tmpdir(), 'acrp-tui-sys-'));
  const tmux = new Tmux();
  t.after(async () => {
    await tmux.close();
    await em.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const config = prepareConfig(world, em, dir);
  const env: NodeJS.ProcessEnv = {
    HOME: dir, // no credentials file of the machine's user is read
    ALIBABA_CLOUD_ACCESS_KEY_ID: DEMO_KEY.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEMO_KEY.accessKeySecret,
    GITLAB_TOKEN: DEMO_GITLAB_TOKEN,
    NO_COLOR: undefined,
    CI: undefined,
  };
  return { em, dir, tmux, config, env };
}

/** Move the selection (j) until the selected row is `ruleId`; bounded. */
async function select(tmux: Tmux, ruleId: string): Promise<string> {
  const re = new RegExp(`^› .*\\b${ruleId}\\b`, 'm');
  for (let i = 0; i < 20; i++) {
    const screen = await tmux.screen();
    if (re.test(screen)) return screen;
    await tmux.keys('j', { literal: true });
    await new Promise((r) => setTimeout(r, 80));
  }
  return tmux.waitFor(re, 2000);
}

test('a person opens the failing rule, sees why and the fix, and quits (exit 1)', { skip, timeout: 90_000 }, async (t) => {
  const { tmux, config, env, dir } = await setup(t, 'ecs-sg-partial');
  const trace = join(dir, 'imports.txt');
  const hook = pathToFileURL(join(ROOT, 'test', 'helpers', 'trace-imports.mjs')).href;
  await tmux.start([process.execPath, BIN, 'tui', '-c', config], {
    cwd: dir,
    env: { ...env, NODE_OPTIONS: `--import=${hook}`, TRACE_IMPORTS_FILE: trace },
  });
  const list = await tmux.waitFor(/— FAIL \(exit 1\)/, 45_000);
  assert.match(list, /✗ FAIL sg-ingress/);
  assert.match(list, /pass \d+ · warn \d+ · fail [1-9]\d* · skip \d+ · error \d+/);
  for (const line of list.split('\n')) assert.ok(line.length <= 80, `wider than the terminal: ${line}`);

  // only the failures
  await tmux.keys('f', { literal: true });
  const filtered = await tmux.waitFor(/non-passing rules?\b/);
  assert.doesNotMatch(filtered, /PASS acr-instance/);

  await select(tmux, 'sg-ingress');
  await tmux.keys('Enter');
  const detail = await tmux.waitFor(/Evidence/);
  assert.match(detail, /FAIL {2}sg-ingress/);
  assert.match(detail, /100\.104\./, 'the uncovered range is named');
  assert.match(detail, /sg-[a-z0-9]+/, 'the deciding security group is named');
  assert.match(detail, /do not admit/, 'the message text is shown');
  assert.doesNotMatch(detail, /message notAdmitted|message [a-z]+[A-Z]/, 'no internal message id');
  // scroll to the fix
  let screen = detail;
  for (let i = 0; i < 40 && !/^Fix/m.test(screen); i++) {
    await tmux.keys('j', { literal: true });
    screen = await tmux.screen();
  }
  screen = await tmux.waitFor(/^Fix/m);
  assert.match(screen, /blocked here|DROP/, 'the blocking hop is shown on the path');
  for (let i = 0; i < 12; i++) await tmux.keys('j', { literal: true });
  const fix = await tmux.waitFor(/aliyun ecs AuthorizeSecurityGroup|100\.104\.0\.0\/16/);
  assert.match(fix, /100\.104\.0\.0\/16/);

  await tmux.keys('Escape');
  await tmux.waitFor(/— FAIL \(exit 1\)/);
  await tmux.keys('q', { literal: true });
  assert.equal(await tmux.waitExit(), 1);
  const loaded = readFileSync(trace, 'utf8');
  assert.match(loaded, /node_modules\/ink\//, 'the tui loads ink (positive control for the lazy-load test)');
});

test('Ctrl-C in the TUI exits 130', { skip, timeout: 60_000 }, async (t) => {
  const { tmux, config, env, dir } = await setup(t, 'ecs-sg-partial');
  await tmux.start([process.execPath, BIN, 'tui', '-c', config], { cwd: dir, env });
  await tmux.waitFor(/acr-preflight — /, 30_000);
  await tmux.keys('C-c');
  assert.equal(await tmux.waitExit(), 130);
});

test('a person provisions the demo world from the TUI: plan, confirm, build log, SUCCESS (exit 0)', { skip, timeout: 120_000 }, async (t) => {
  const { tmux, config, env, dir } = await setup(t, 'demo');
  await tmux.start([process.execPath, BIN, 'tui', '-c', config], { cwd: dir, env });
  await tmux.waitFor(/— PASS \(exit 0\)/, 45_000);
  await tmux.keys('p', { literal: true });
  const plan = await tmux.waitFor(/Apply this plan\?/, 30_000);
  assert.match(plan, /Plan for/);
  await tmux.keys('y', { literal: true });
  const done = await tmux.waitFor(/SUCCESS|FAILED:/, 60_000);
  assert.match(done, /SUCCESS/);
  assert.match(done, /Build log/);
  assert.match(done, /\[[A-Z_]+\]/, 'the log is shown by stage');
  await tmux.keys('q', { literal: true });
  assert.equal(await tmux.waitExit(), 0);
});

test('guided provision: the link and bind console steps are shown with their values, waited for and verified', { skip, timeout: 150_000 }, async (t) => {
  // the demo world without the console-only steps; the test plays the person at the ACR console
  const demo = demoSetup(worldPath('demo'), join(CONFIGS_DIR, 'demo.yaml'));
  assert.ok(demo.console.link && demo.console.bind);
  const { tmux, config, env, em, dir } = await setup(t, 'demo', demo.world);
  // --wait-timeout is accepted by tui as by provision (the plan names it); a tall pane shows the whole page
  await tmux.start([process.execPath, BIN, 'tui', '-c', config, '--wait-timeout', '120'], { cwd: dir, env, height: 60, width: 100 });
  const list = await tmux.waitFor(/— PASS \(exit 0\)/, 45_000);
  assert.match(list, /WARN link-present/, 'not linked yet is a warning, not a blocker');
  await tmux.keys('p', { literal: true });
  await tmux.waitFor(/Apply this plan\?/, 30_000);
  await tmux.keys('y', { literal: true });

  const link = await tmux.waitFor(/Manage Link[\s\S]*waiting for it to appear/, 30_000);
  assert.match(link, /GitLab private IP\s+192\.168\.1\.10/);
  assert.match(link, /VPC\s+vpc-bp1demo/);
  assert.equal((await control(em, 'console/link', demo.console.link)).status, 200);
  // the link is verified through the API; the flow then moves on to the bind step (the "verified"
  // line may already have scrolled away, so the next step's prompt is what we wait for)

  const bind = await tmux.waitFor(/Bind Account[\s\S]*waiting for it to appear/, 45_000);
  assert.match(bind, /Username\s+builder/);
  assert.doesNotMatch(bind, new RegExp(DEMO_GITLAB_TOKEN), 'the token is never shown');
  // the first numbered step is an action; what the API answered is context above it
  assert.match(bind, /^ {2}CreateRepoSourceCodeRepo answered: /m);
  assert.match(bind, /^ {2}1\. Open ACR console/m);
  assert.match(bind, /\(120 s\)|waiting for it to appear/);
  // the list, while provision waits for the bind: the link it verified is shown, not "Not linked yet"
  await tmux.keys('Escape');
  const during = await tmux.waitFor(/provision running/, 10_000);
  assert.match(during, /PASS link-present/);
  assert.doesNotMatch(during, /Not linked yet/);
  await tmux.keys('p', { literal: true });
  await tmux.waitFor(/Bind Account/, 10_000);
  assert.equal((await control(em, 'console/bind', demo.console.bind)).status, 200);

  // the build log says SUCCESS a moment before provision itself finishes: wait for the phase
  const done = await tmux.waitFor(/Provision: link → bind → build\s+\((done|failed)\)/, 90_000);
  assert.match(done, /\(done\)/);
  assert.match(done, /SUCCESS/);
  // finished: the console box and its waiting line are gone
  assert.doesNotMatch(done, /Values to paste|waiting for it to appear/);
  // back on the list, the checks have run again: the link and the binding provision made
  await tmux.keys('Escape');
  const after = await tmux.waitFor(/PASS link-present[\s\S]*PASS source-bound[\s\S]*— PASS \(exit 0\)/, 45_000);
  assert.doesNotMatch(after, /WARN link-present/);
  assert.match(after, /provision done \(SUCCESS\) — p shows the result/);
  // p shows that result again; it does not plan a new provision
  await tmux.keys('p', { literal: true });
  const again = await tmux.waitFor(/SUCCESS:/);
  assert.doesNotMatch(again, /Apply this plan\?/);
  await tmux.keys('q', { literal: true });
  assert.equal(await tmux.waitExit(), 0);
});

test('keys sent together move the selection; q mid-build asks, then leaves the build running with the resume hint', { skip, timeout: 120_000 }, async (t) => {
  // the demo world with a build that outlasts the test
  const world = loadFixtureWorld('demo');
  world.regions['cn-hangzhou'].cr.builds.durationMs = 600_000;
  const { tmux, config, env, dir } = await setup(t, 'demo', world);
  await tmux.start([process.execPath, BIN, 'tui', '-c', config], { cwd: dir, env });
  await tmux.waitFor(/— PASS \(exit 0\)/, 45_000);
  await tmux.keys('p', { literal: true });
  await tmux.waitFor(/Apply this plan\?/, 30_000);
  await tmux.keys('y', { literal: true });
  await tmux.waitFor(/status BUILDING/, 60_000);

  // the list, while the build runs: the status line says so
  await tmux.keys('Escape');
  const list = await tmux.waitFor(/provision running: .*— p shows it/);
  assert.match(list, /^› .*acr-instance/m);
  // three keys in one send: the selection moves three rows (acr-instance → vpc-vswitch → zone-supported → reverse-cidr-overlap)
  await tmux.keys(['j', 'j', 'j'], { literal: true });
  await tmux.waitFor(/^› .*reverse-cidr-overlap/m, 5000);

  await tmux.keys('q', { literal: true });
  await tmux.waitFor(/provision is still running — quit anyway\? q\/y quit/);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await tmux.exitStatus(), undefined, 'q alone does not quit while provision applies');
  await tmux.keys('q', { literal: true });
  assert.equal(await tmux.waitExit(), 0);
  // the note is one line; the 80-column pane wraps it
  const screen = (await tmux.screen()).replace(/\n/g, '');
  assert.match(screen, /acr-preflight: quit while provision was applying — build \S+ is still running in ACR; `acr-preflight provision --resume` re-attaches/);
  // and that is true: the journal holds the build to re-attach to
  // (the file is per target, account and endpoint: <target key>__<scope>.jsonl)
  const stem = journalKey({ region: 'cn-hangzhou', instanceId: 'cri-demo1234', namespace: 'team', repository: 'app' });
  const file = readdirSync(join(dir, '.acr-preflight')).find((f) => f.startsWith(`${stem}__`))!;
  const pending = Journal.open(dir, file.replace(/\.jsonl$/, '')).pending();
  assert.deepEqual(pending.map((p) => p.op), ['await-build']);
});
