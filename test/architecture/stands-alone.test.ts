// The repository stands alone: no shipped file and no output of the tool refers to a document that
// users do not have. The per-result docs link comes from package.json, else names `explain`.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { RULES } from '../../rules/index.js';
import { docsLinkFor, projectUrlFor, repositoryWebUrl } from '../../src/paths.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderSarif } from '../../src/report/sarif.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { DEMO_GITLAB_TOKEN, DEMO_KEY, prepareConfig, startTestEmulator } from '../helpers/emulator.js';
import { failingReport } from '../report/fixtures.js';

/** What must not appear: citations of documents outside the repository. */
const LEAK = /DESIGN|api-facts|§|\.\.\/shared/;
const SHIPPED = ['src', 'rules', 'bin', 'examples', 'fixtures', 'docs', 'README.md', 'package.json'];
const FORMATS = ['text', 'json', 'junit', 'sarif', 'markdown'];
const ENV = { GITLAB_TOKEN: DEMO_GITLAB_TOKEN, ALIBABA_CLOUD_ACCESS_KEY_ID: DEMO_KEY.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEMO_KEY.accessKeySecret };

function files(path: string, out: string[] = []): string[] {
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path)) if (name !== 'node_modules') files(join(path, name), out);
  } else {
    out.push(path);
  }
  return out;
}

/** The lines of `text` that leak, each prefixed with where it came from. */
function leaks(where: string, text: string): string[] {
  return text
    .split('\n')
    .map((line, i) => [line, i] as const)
    .filter(([line]) => LEAK.test(line))
    .map(([line, i]) => `${where}:${i + 1}: ${line.trim().slice(0, 160)}`);
}

const tmp = mkdtempSync(join(tmpdir(), 'acrp-alone-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('the repository stands alone', () => {
  it('no shipped file cites a document outside the repository', () => {
    const found: string[] = [];
    let read = 0;
    for (const top of SHIPPED) {
      for (const f of files(join(ROOT, top))) {
        const buf = readFileSync(f);
        if (buf.includes(0)) continue; // binary
        read++;
        found.push(...leaks(relative(ROOT, f), buf.toString('utf8')));
      }
    }
    assert.ok(read > 200, `read ${read} files`);
    assert.deepEqual(found, []);
  });

  it('the check, analyze, provision --plan-only, explain, rules and policy outputs cite none', async () => {
    const outputs: [string, string][] = [];
    const keep = (what: string, r: { stdout: string; stderr: string }) => outputs.push([`${what} stdout`, r.stdout], [`${what} stderr`, r.stderr]);

    // check in every format at once (a failing world, so every result part is rendered)
    const em = await startTestEmulator('ecs-sg-partial');
    try {
      const cfg = prepareConfig('ecs-sg-partial', em, join(tmp, 'check'));
      const args = FORMATS.flatMap((f) => ['--format', f, '--output', join(tmp, `check.${f}`)]);
      const r = await runCli(['check', '-c', cfg, ...args], { env: ENV, cwd: tmp });
      // 1 (sg-ingress fails), or 3 when a GitLab probe times out on a loaded machine: rendered either way
      assert.ok(r.code === 1 || r.code === 3, r.stderr);
      keep('check', r);
      for (const f of FORMATS) outputs.push([`check --format ${f}`, readFileSync(join(tmp, `check.${f}`), 'utf8')]);
    } finally {
      await em.stop();
    }

    // analyze a fact scenario in every format
    for (const f of FORMATS) {
      const r = await runCli(['analyze', join(ROOT, 'fixtures', 'facts', 'sg-partial-drop.json'), '--format', f], { cwd: tmp });
      assert.equal(r.code, 1, r.stderr);
      keep(`analyze --format ${f}`, r);
    }

    // the plan of an unlinked world holds both guided (console-only) steps
    const em2 = await startTestEmulator('ecs-healthy-unlinked');
    try {
      const cfg = prepareConfig('ecs-healthy-unlinked', em2, join(tmp, 'provision'));
      for (const f of ['text', 'json']) {
        const r = await runCli(['provision', '-c', cfg, '--plan-only', '--format', f], { env: ENV, cwd: join(tmp, 'provision') });
        // 0, or 1 when a probe times out on a loaded machine: the plan is printed either way
        assert.ok(r.code === 0 || r.code === 1, r.stderr);
        assert.match(r.stdout, /Manage Link/);
        keep(`provision --plan-only --format ${f}`, r);
      }
    } finally {
      await em2.stop();
    }

    for (const rule of RULES) keep(`explain ${rule.id}`, await runCli(['explain', rule.id]));
    keep('rules', await runCli(['rules']));
    keep('rules --format json', await runCli(['rules', '--format', 'json']));
    keep('policy', await runCli(['policy']));
    keep('policy --provision', await runCli(['policy', '--provision']));

    const found = outputs.flatMap(([what, text]) => leaks(what, text));
    assert.deepEqual(found, []);
    assert.ok(outputs.length > 40);
  });

  it('an emulator refusing a world points at the world format in this repository', async () => {
    const bad = join(tmp, 'bad-world.yaml');
    writeFileSync(bad, 'regions:\n  cn-hangzhou:\n    vpcs: [ { VpcId: 7 } ]\n');
    const r = await runCli(['emulator', '--world', bad, '--port', '0'], { timeoutMs: 20_000 });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /docs\/world-format\.md/);
    assert.deepEqual(leaks('emulator stderr', r.stderr), []);
  });
});

describe('the per-result docs link', () => {
  it('is rules/<id>.md in the repository package.json declares', () => {
    const repo = { repository: { type: 'git', url: 'git+https://github.com/acr-vpc-preflight/acr-vpc-preflight.git' } };
    assert.equal(docsLinkFor(repo, 'sg-ingress'), 'https://github.com/acr-vpc-preflight/acr-vpc-preflight/blob/main/rules/sg-ingress.md');
    assert.equal(docsLinkFor({ repository: 'github:o/n' }, 'x'), 'https://github.com/o/n/blob/main/rules/x.md');
    assert.equal(docsLinkFor({ repository: 'o/n' }, 'x'), 'https://github.com/o/n/blob/main/rules/x.md');
    assert.equal(docsLinkFor({ repository: { url: 'https://gitlab.com/g/p.git' } }, 'x'), 'https://gitlab.com/g/p/-/blob/main/rules/x.md');
    assert.equal(repositoryWebUrl(repo), 'https://github.com/acr-vpc-preflight/acr-vpc-preflight');
    assert.equal(projectUrlFor({ homepage: 'https://example.org/tool' }), 'https://example.org/tool');
  });

  it('says `acr-preflight explain ID` when package.json declares no repository it can link into', () => {
    assert.equal(docsLinkFor({}, 'sg-ingress'), 'acr-preflight explain sg-ingress');
    assert.equal(docsLinkFor({ homepage: 'https://example.org/tool' }, 'x'), 'acr-preflight explain x');
    assert.equal(docsLinkFor({ repository: { url: 'https://git.corp.example/team/tool.git' } }, 'x'), 'acr-preflight explain x');
    assert.equal(projectUrlFor({}), undefined);
  });

  it('the shipped package.json declares the repository, and the reports link into it', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const repo = repositoryWebUrl(pkg);
    assert.ok(repo, 'package.json declares a repository');
    const report = failingReport();
    for (const r of report.results) assert.equal(r.docs, docsLinkFor(pkg, r.ruleId));
    const sarif = JSON.parse(renderSarif(report, {}));
    assert.equal(sarif.runs[0].tool.driver.informationUri, repo);
  });

  it('reports without a link address name the command and make no broken link', () => {
    const report = failingReport();
    const plain = { ...report, results: report.results.map((r) => ({ ...r, docs: `acr-preflight explain ${r.ruleId}` })) };
    const md = renderMarkdown(plain, {});
    assert.doesNotMatch(md, /\]\(acr-preflight/);
    assert.match(md, /Rule docs: `acr-preflight explain /);
  });
});
