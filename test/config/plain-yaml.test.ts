// The plain-YAML reader against the `yaml` package, which is the oracle: whenever the reader answers,
// the package (with the options the config loader uses) must read the text without an error, to the
// same value, with the same line for every path the messages can name. The reader may decline
// anything; it must not decline the configs users write (every config in the repository, and the
// generated plain ones, mostly).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { LineCounter, parseDocument } from 'yaml';
import { readPlainYaml } from '../../src/config/plain-yaml.js';
import { parseConfigText } from '../../src/config/load.js';
import { yamlLocator } from '../../src/util/yaml-locate.js';
import type { IssuePath } from '../../src/util/issues.js';
import { ROOT } from '../helpers/cli.js';

/** the package's reading, with the config loader's options */
function oracle(text: string) {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: true, strict: true, version: '1.2' });
  if (doc.errors.length) return undefined;
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch {
    return undefined;
  }
  return { value, locate: yamlLocator(doc, lc, 'f.yaml') };
}

/** every path into `v`, and beside each mapping a missing key and beside each list an index past its end */
function paths(v: unknown, at: IssuePath = []): IssuePath[] {
  const out: IssuePath[] = [at];
  if (Array.isArray(v)) {
    v.forEach((x, i) => out.push(...paths(x, [...at, i])));
    out.push([...at, v.length], [...at, 'missing']);
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
    out.push([...at, 'missing-key'], [...at, 'missing-key', 'deeper'], [...at, 0]);
  }
  return out;
}

/** The property: declined, or the oracle's value and lines. Returns whether the reader answered. */
function agrees(text: string): boolean {
  const plain = readPlainYaml(text);
  if (!plain) return false;
  const ref = oracle(text);
  assert.ok(ref, `the reader answered for a text the yaml package refuses:\n${text}`);
  assert.deepStrictEqual(plain.value, ref.value, `different values for:\n${text}`);
  const locate = plain.locator('f.yaml');
  for (const p of paths(ref.value)) {
    for (const at of ['key', 'value'] as const) {
      assert.equal(locate(p, at), ref.locate(p, at), `different lines for ${JSON.stringify(p)} (${at}) in:\n${text}`);
    }
  }
  return true;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => join(dir, f));
}

test('every config in the repository is read by the plain reader, as the yaml package reads it', () => {
  const configs = [...yamlFiles(join(ROOT, 'fixtures', 'configs')).filter((f) => !f.includes('invalid')), join(ROOT, 'examples', 'preflight.yaml')];
  assert.ok(configs.length >= 15);
  for (const f of configs) assert.ok(agrees(readFileSync(f, 'utf8')), `${f}: declined (a config users write should be plain)`);
});

test('every other YAML file in the repository: declined, or read as the yaml package reads it', () => {
  const files = [...yamlFiles(join(ROOT, 'fixtures')), ...yamlFiles(join(ROOT, 'examples'))];
  let read = 0;
  for (const f of files) if (agrees(readFileSync(f, 'utf8'))) read++;
  // the worlds are plain too (large, nested, lists of mappings): most of them must be read
  assert.ok(read > files.length / 2, `only ${read} of ${files.length} read`);
  // and the YAML examples in the docs
  for (const doc of ['config.md', 'world-format.md']) {
    for (const m of readFileSync(join(ROOT, 'docs', doc), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)) agrees(m[1]!);
  }
});

test('what the plain reader declines, parseConfigText still reads with the yaml package', () => {
  const cases: [string, unknown][] = [
    ['a: &x 1\nb: *x\n', { a: 1, b: 1 }],
    ['a: |\n  two\n  lines\n', { a: 'two\nlines\n' }],
    ['a: "tab\\tescaped"\n', { a: 'tab\tescaped' }],
    ['a: plain\n  continued\n', { a: 'plain continued' }],
    ['---\na: 1\n', { a: 1 }],
    ['a:\n\tb: 1\n', undefined],
  ];
  for (const [text, value] of cases) {
    assert.equal(readPlainYaml(text), undefined, text);
    if (value === undefined) assert.throws(() => parseConfigText(text, 'c.yaml'), /c\.yaml/);
    else assert.deepStrictEqual(parseConfigText(text, 'c.yaml').raw, value);
  }
});

test('edge cases the two must agree on', () => {
  const texts = [
    'a: 1\nb: -0\nc: +12\nd: 007\ne: 0o17\nf: 0x1F\ng: 1.50\nh: .5\ni: 1e3\nj: -.Inf\nk: .NaN\nl: 12345678901234567890\n',
    'n: ~\nm: null\no: Null\np:\nq: true\nr: False\ns: yes\nt: on\nu: 2027-01-31\n',
    "a: 'it''s'\nb: \"q\"\nc: ''\nd: \"\"\ne: 'x' # c\nf: a#b\ng: a # b\n",
    '192.168.1.10:443: 127.0.0.1:8443\n"1": one\n\'2\': two\nhttp://x: y\n',
    'list:\n- a\n- b\nnext: 1\n',
    'list:\n  - a: 1\n    b: [x, y]\n  -   c: { d: e, f: [] }\n  -\n  - \n    g: h\n',
    'x:\n    deep:\n        deeper: 1\n    back: 2\ny: {}\nz: []\n',
    'a: [1, "two", \'three\', [4], {five: 5}]\nb: { "k": v, k2: [a b, c] }\n',
    '  indented: root\n  second: 2\n',
    '# only a comment\n\n  \na: 1 # trailing\n\n# end\n',
    'a: b: c\n', 'a: b:\n', 'a: - b\n', 'a: [b\n', 'a: [b,]\n', 'a: [, b]\n', 'a: {b}\n', 'a: {b: }\n', 'a: {b:c}\n',
    'a: 1\na: 2\n', 'a: {b: 1, b: 2}\n', '1: x\n', 'true: x\n', 'null: x\n', '~: x\n', '__proto__: x\n', '<<: x\n',
    'a:\n  b: 1\n c: 2\n', 'a: 1\n  b: 2\n', '- a\n- b\n', 'a\n', 'a:\n- b\n  - c\n', '- - a\n', 'a: "x"y\n', "a: 'x\n",
    'a: x #c\n  y\n', 'a: é—ü\n', 'a: \u00a0x\n', 'k: "a\\"b"\n', 'k: [a: b]\n', 'k: {a: b: c}\n', 'a :b\n', 'a : b\n',
  ];
  for (const t of texts) agrees(t);
  // and a few it must read (the rest may be declined)
  for (const t of texts.slice(0, 10)) assert.ok(readPlainYaml(t), `declined:\n${t}`);
});

// ---- generated documents --------------------------------------------------------------------------

const SCALARS = [
  'cn-hangzhou', '192.168.1.10', '10.0.0.0/8', 'https://h:443/x', 'env:GITLAB_TOKEN', 'file:/run/s', '~', 'null', 'NULL', 'true', 'False',
  'yes', 'on', '0', '-0', '+12', '007', '0o17', '0x1F', '1.5', '.5', '1e3', '1E-2', '.inf', '-.Inf', '.nan', '2027-01-31', 'a b', 'a#b',
  'a #b', 'a: b', 'a:b', 'a:', '-x', '- x', '-', '?x', ':x', '@x', '`x', '%x', '!x', '&x', '*x', '|', '>', 'x,y', '[x]', '{x}', 'x]',
  'é', '—', '', ' ', 'it\'s', 'say "hi"', 'back\\slash', '12345678901234567890', '__proto__', '<<', 'GIT_BRANCH', '/', 'Dockerfile',
];
const KEYS = [
  'region', 'a', 'a.b', 'a/b', 'a-b', '_x', 'instanceId', '192.168.1.10:443', '1', 'true', 'null', '~', '', 'a b', 'a#b', 'a #b',
  'x:y', '__proto__', '<<', '-k', 'k:', "it's", 'k"', '[k]', 'é',
];

/** what configs hold: the reader must read documents made of these */
const PLAIN_SCALARS = ['cn-hangzhou', '192.168.1.10', '10.0.0.0/8', 'env:GITLAB_TOKEN', '~', 'null', 'true', '0', '443', '-1', '1.5', '2027-01-31', 'a b', 'a#b', "it's", 'GIT_BRANCH', '/', 'é—', '12345678901234567890'];
const PLAIN_KEYS = ['region', 'a', 'a.b', 'a/b', 'a-b', '_x', 'instanceId', 'privateKeyFile'];

type Doc = { t: 'scalar'; v: string; q: 0 | 1 | 2 } | { t: 'map'; entries: [string, 0 | 1 | 2, Doc][]; flow: boolean } | { t: 'seq'; items: Doc[]; flow: boolean };

const quoteStyle = fc.constantFrom<0 | 1 | 2>(0, 0, 0, 1, 2);
function documents(scalars: string[], keys: string[]): fc.Arbitrary<Doc> {
  const scalar: fc.Arbitrary<Doc> = fc.record({ t: fc.constant('scalar' as const), v: fc.constantFrom(...scalars), q: quoteStyle });
  const { doc } = fc.letrec<{ doc: Doc }>((tie) => ({
    doc: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar,
      fc.record({ t: fc.constant('map' as const), entries: fc.uniqueArray(fc.tuple(fc.constantFrom(...keys), quoteStyle, tie('doc')), { maxLength: 4, selector: (e) => e[0] }), flow: fc.boolean() }),
      fc.record({ t: fc.constant('seq' as const), items: fc.array(tie('doc'), { maxLength: 4 }), flow: fc.boolean() }),
    ),
  }));
  // distinct keys: a duplicate is the package's error, and declined
  return fc.uniqueArray(fc.tuple(fc.constantFrom(...keys), quoteStyle, doc), { minLength: 1, maxLength: 5, selector: (e) => e[0] }).map((entries) => ({ t: 'map' as const, entries, flow: false }));
}

interface Style {
  indent: number;
  indentless: boolean;
  compact: boolean;
  comments: boolean;
  pad: string;
}

function q(v: string, style: 0 | 1 | 2): string {
  return style === 1 ? `'${v.replace(/'/g, "''")}'` : style === 2 ? `"${v}"` : v;
}
function flow(d: Doc): string {
  if (d.t === 'scalar') return q(d.v, d.q);
  if (d.t === 'seq') return `[${d.items.map(flow).join(', ')}]`;
  return `{ ${d.entries.map(([k, kq, v]) => `${q(k, kq)}: ${flow(v)}`).join(', ')} }`;
}
function block(d: Doc, ind: number, s: Style): string[] {
  const sp = ' '.repeat(ind);
  const note = s.comments ? '  # note' : '';
  if (d.t === 'map') {
    const out: string[] = [];
    for (const [k, kq, v] of d.entries) {
      const head = `${sp}${q(k, kq)}:`;
      if (v.t === 'scalar' || v.flow || (v.t === 'map' && !v.entries.length) || (v.t === 'seq' && !v.items.length)) out.push(`${head} ${flow(v)}${s.pad}${note}`);
      else if (v.t === 'seq' && s.indentless) out.push(`${head}${note}`, ...block(v, ind, s));
      else out.push(`${head}${note}`, ...(s.comments ? [`${sp}# between`] : []), ...block(v, ind + s.indent, s));
    }
    return out;
  }
  if (d.t === 'seq') {
    const out: string[] = [];
    for (const v of d.items) {
      if (v.t === 'scalar' || v.flow || (v.t === 'map' && !v.entries.length) || (v.t === 'seq' && !v.items.length)) out.push(`${sp}- ${flow(v)}${s.pad}`);
      else if (v.t === 'map' && s.compact) {
        const inner = block(v, ind + 2, s);
        out.push(`${sp}- ${inner[0]!.slice(ind + 2)}`, ...inner.slice(1));
      } else out.push(`${sp}-`, ...block(v, ind + s.indent, s));
    }
    return out;
  }
  return [`${sp}${flow(d)}`];
}
const style = fc.record({ indent: fc.integer({ min: 1, max: 4 }), indentless: fc.boolean(), compact: fc.boolean(), comments: fc.boolean(), pad: fc.constantFrom('', ' ', '   ') });
const render = (docs: fc.Arbitrary<Doc>) => fc.tuple(docs, style).map(([d, s]) => `${block(d, 0, s).join('\n')}\n`);
const rendered = render(documents(SCALARS, KEYS));

test('generated plain documents (what configs hold) are read, as the yaml package reads them', () => {
  let read = 0;
  let runs = 0;
  fc.assert(
    fc.property(render(documents(PLAIN_SCALARS, PLAIN_KEYS)), (text) => {
      runs++;
      if (agrees(text)) read++;
    }),
    { numRuns: 2000 },
  );
  assert.ok(read > runs * 0.99, `only ${read} of ${runs} read`);
});

test('generated documents: declined, or read as the yaml package reads them', () => {
  let read = 0;
  let runs = 0;
  fc.assert(
    fc.property(rendered, (text) => {
      runs++;
      if (agrees(text)) read++;
    }),
    { numRuns: 3000 },
  );
  // most draw a tricky scalar or key somewhere and are declined; some must still be read
  assert.ok(read > runs / 20, `only ${read} of ${runs} read`);
});

test('generated documents with random edits: declined, or read as the yaml package reads them', () => {
  const edit = fc.tuple(fc.nat(), fc.constantFrom(' ', '\n', ':', ': ', '-', '- ', '#', ' #', '"', "'", '[', ']', '{', '}', ',', 'a', '1', '\t', '.', '&', '*', '|', ''), fc.integer({ min: 0, max: 2 }));
  fc.assert(
    fc.property(rendered, fc.array(edit, { minLength: 1, maxLength: 3 }), (text, edits) => {
      let t = text;
      for (const [at, ins, del] of edits) {
        const i = at % (t.length + 1);
        t = t.slice(0, i) + ins + t.slice(i + del);
      }
      agrees(t);
    }),
    { numRuns: 4000 },
  );
});
