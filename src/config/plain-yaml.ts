// The plain YAML that config files are written in, read without the `yaml` package: block mappings
// and sequences, one-line flow collections ([a, b], { k: v }), plain and quoted scalars, comments.
// It answers only when the answer is certain to be the `yaml` package's own (YAML 1.2, core schema,
// strict, unique keys): the same value and, for every path, the same line. Anything else — anchors,
// tags, block scalars, multi-line scalars or flow collections, escapes, tabs, duplicate or non-string
// keys, document markers, anything the package would call an error — is declined (undefined), and
// the caller parses with the package as before. Why: the package is the largest thing a `check`
// loads before its first request (about 6 ms to load and 5 ms to parse a config, cold), and a
// config is nearly always this plain. test/config/plain-yaml.test.ts compares the two on every
// config in the repository and on generated ones.
import type { IssuePath, Locate } from '../util/issues.js';

/** Where each value sits, for "file:line" messages (the package's node ranges, reduced to lines). */
type Place =
  | { kind: 'map'; line: number; keys: string[]; keyLines: number[]; values: Place[] }
  | { kind: 'seq'; line: number; items: Place[] }
  | { kind: 'scalar'; line: number };

export interface PlainYaml {
  value: Record<string, unknown>;
  /** a locator with the semantics of src/util/yaml-locate.ts over the package's document */
  locator(label: string): Locate;
}

/** Thrown inside the reader when the text leaves the plain subset; never escapes it. */
class Decline extends Error {}
const decline = (): never => {
  throw new Decline();
};

interface Line {
  /** 1-based */
  no: number;
  indent: number;
  /** the line after its indentation */
  text: string;
}

// the core schema's plain scalars that are not strings (yaml/dist/schema/core: null, bool, int, float)
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT = /^[-+]?[0-9]+$/;
const INT_OCT = /^0o[0-7]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

/** A plain scalar's value under the core schema, resolved as the package resolves it. */
function resolvePlain(s: string): unknown {
  if (NULL.test(s)) return null;
  if (BOOL.test(s)) return s[0] === 't' || s[0] === 'T';
  if (INT_OCT.test(s)) return parseInt(s.substring(2), 8);
  if (INT.test(s)) return parseInt(s, 10);
  if (INT_HEX.test(s)) return parseInt(s.substring(2), 16);
  if (FLOAT_SPECIAL.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity;
  if (FLOAT_EXP.test(s) || FLOAT.test(s)) return parseFloat(s);
  return s;
}

/** A plain key in a flow collection: letters, digits and `_ . / -` (a plain scalar that ends at `:`). */
const FLOW_KEY = /^[A-Za-z_][\w./-]*/;
/** what may follow a scalar or a flow collection on its line: spaces, then a comment or nothing */
const REST_OF_LINE = /^(?: +#.*| *)$/;
/** characters the package accepts in a plain config without a second look (printable, no tab, no BOM) */
const UNUSUAL = /[^\n\x20-\x7e\u00a0-\ud7ff\ue000-\ufefe\uff00-\ufffd]/;
/** the implicit-key limit of the package (a longer key on one line is an error) */
const MAX_KEY = 1000;

/** A quoted scalar at `s[at]` on one line: its value and where it ends; escapes are declined. */
function quoted(s: string, at: number): { value: string; end: number } {
  const q = s[at]!;
  if (q === "'") {
    let value = '';
    let i = at + 1;
    for (;;) {
      const j = s.indexOf("'", i);
      if (j < 0) decline();
      value += s.slice(i, j);
      if (s[j + 1] === "'") {
        value += "'";
        i = j + 2;
      } else return { value, end: j + 1 };
    }
  }
  const j = s.indexOf('"', at + 1);
  if (j < 0) decline();
  const value = s.slice(at + 1, j);
  if (value.includes('\\')) decline();
  return { value, end: j + 1 };
}

/** A plain scalar may not start with an indicator (and `- `, `? `, `: ` start structure; in a flow collection, so do `-,` `-]` …). */
function plainStart(s: string, at: number, flow: boolean): void {
  const c = s[at];
  if (c === undefined || '&*!|>%@`#,[]{}\'"'.includes(c)) decline();
  const next = s[at + 1];
  if ((c === '-' || c === '?' || c === ':') && (next === undefined || next === ' ' || (flow && ',[]{}'.includes(next)))) decline();
}

interface Scanned {
  value: unknown;
  place: Place;
  end: number;
}

/** A flow collection or scalar inside a flow collection, at `s[at]`, all on line `line`. */
function flowNode(s: string, at: number, line: number): Scanned {
  const c = s[at];
  if (c === '[') return flowSeq(s, at, line);
  if (c === '{') return flowMap(s, at, line);
  if (c === "'" || c === '"') {
    const q = quoted(s, at);
    return { value: q.value, place: { kind: 'scalar', line }, end: q.end };
  }
  plainStart(s, at, true);
  // a plain scalar in a flow collection ends at , ] or }; in it, `[` `{`, a `:` not followed by a
  // plain character (a pair) and ` #` (a comment) are declined
  let end = at;
  while (end < s.length && !',]}'.includes(s[end]!)) {
    const c = s[end]!;
    if (c === '[' || c === '{' || (c === '#' && s[end - 1] === ' ')) decline();
    if (c === ':' && (end + 1 === s.length || ' ,[]{}'.includes(s[end + 1]!))) decline();
    end++;
  }
  const text = s.slice(at, end).replace(/ +$/, '');
  if (text === '') decline();
  return { value: resolvePlain(text), place: { kind: 'scalar', line }, end: at + text.length };
}

const skipSpaces = (s: string, i: number) => {
  while (s[i] === ' ') i++;
  return i;
};

function flowSeq(s: string, at: number, line: number): Scanned {
  const value: unknown[] = [];
  const items: Place[] = [];
  let i = skipSpaces(s, at + 1);
  if (s[i] === ']') return { value, place: { kind: 'seq', line, items }, end: i + 1 };
  for (;;) {
    const item = flowNode(s, i, line);
    value.push(item.value);
    items.push(item.place);
    i = skipSpaces(s, item.end);
    if (s[i] === ']') return { value, place: { kind: 'seq', line, items }, end: i + 1 };
    if (s[i] !== ',') decline();
    i = skipSpaces(s, i + 1);
    // a trailing comma, or an empty entry
    if (s[i] === ']' || s[i] === ',') decline();
  }
}

function flowMap(s: string, at: number, line: number): Scanned {
  const value: Record<string, unknown> = {};
  const place: Place = { kind: 'map', line, keys: [], keyLines: [], values: [] };
  let i = skipSpaces(s, at + 1);
  if (s[i] === '}') return { value, place, end: i + 1 };
  for (;;) {
    const k = key(s, i, true);
    if (!k || s[k.end] !== ':' || s[k.end + 1] !== ' ') decline();
    i = skipSpaces(s, k!.end + 1);
    if (s[i] === ',' || s[i] === '}') decline();
    const v = flowNode(s, i, line);
    add(value, place, k!.key, line, v.value, v.place);
    i = skipSpaces(s, v.end);
    if (s[i] === '}') return { value, place, end: i + 1 };
    if (s[i] !== ',') decline();
    i = skipSpaces(s, i + 1);
    if (s[i] === '}' || s[i] === ',') decline();
  }
}

/**
 * A mapping key at `s[at]`, or undefined when there is none: quoted, or plain — in a block, up to the
 * first `: ` (or a `:` that ends the line); in a flow collection, a simple word (FLOW_KEY). A plain
 * key must resolve to a string (`1:`, `null:`, `true:` are declined).
 */
function key(s: string, at: number, flow: boolean): { key: string; end: number } | undefined {
  const c = s[at];
  if (c === "'" || c === '"') {
    const q = quoted(s, at);
    if (q.value.length > MAX_KEY) decline();
    return { key: q.value, end: q.end };
  }
  let text: string;
  if (flow) {
    const m = FLOW_KEY.exec(s.slice(at, at + MAX_KEY + 1));
    if (!m) return undefined;
    text = m[0];
  } else {
    let end = s.indexOf(': ', at);
    if (end < 0 && s.endsWith(':')) end = s.length - 1;
    if (end < 0) return undefined;
    text = s.slice(at, end);
    if (text === '' || text.endsWith(' ') || text.includes(' #')) decline();
    plainStart(s, at, false);
  }
  if (text.length > MAX_KEY || typeof resolvePlain(text) !== 'string') decline();
  return { key: text, end: at + text.length };
}

function add(value: Record<string, unknown>, place: Place & { kind: 'map' }, k: string, keyLine: number, v: unknown, p: Place): void {
  // duplicates are the package's error to report; these two keys it treats specially
  if (k === '__proto__' || k === '<<' || Object.prototype.hasOwnProperty.call(value, k)) decline();
  value[k] = v;
  place.keys.push(k);
  place.keyLines.push(keyLine);
  place.values.push(p);
}

/** A value on the rest of a line (after `key: ` or `- `): a scalar or a one-line flow collection; undefined when empty. */
function inline(s: string, line: number): Scanned | undefined {
  const at = skipSpaces(s, 0);
  if (at === s.length || s[at] === '#') return undefined;
  const c = s[at];
  let r: Scanned;
  if (c === '[' || c === '{' || c === "'" || c === '"') {
    r = flowNode(s, at, line);
  } else {
    plainStart(s, at, false);
    const hash = s.search(/ #/);
    const text = (hash < 0 ? s : s.slice(0, hash)).slice(at).replace(/ +$/, '');
    // `a: b: c` and `a: b:` are nested mappings on one line: the package's error
    if (text.includes(': ') || text.endsWith(':')) decline();
    return { value: resolvePlain(text), place: { kind: 'scalar', line }, end: s.length };
  }
  if (!REST_OF_LINE.test(s.slice(r.end))) decline();
  return r;
}

const isItem = (l: Line | undefined) => l !== undefined && l.text[0] === '-' && (l.text.length === 1 || l.text[1] === ' ');

class Reader {
  i = 0;
  constructor(readonly lines: Line[]) {}

  /** the block that starts at the current line, whose indentation is `indent` */
  block(indent: number): Scanned {
    return isItem(this.lines[this.i]) ? this.seq(indent) : this.map(indent);
  }

  /** the value of `key:` with nothing after it: a block below, an indentless sequence, or null */
  below(indent: number, line: number, inMap: boolean): Scanned {
    const next = this.lines[this.i];
    if (next && next.indent > indent) return this.block(next.indent);
    if (inMap && next && next.indent === indent && isItem(next)) return this.seq(indent);
    return { value: null, place: { kind: 'scalar', line }, end: 0 };
  }

  /** after a value that ends its line: a deeper line would continue it (a multi-line scalar) or be an error */
  ended(indent: number): void {
    const next = this.lines[this.i];
    if (next && next.indent > indent) decline();
  }

  map(indent: number): Scanned {
    const value: Record<string, unknown> = {};
    const first = this.lines[this.i]!;
    const place: Place & { kind: 'map' } = { kind: 'map', line: first.no, keys: [], keyLines: [], values: [] };
    for (let l = this.lines[this.i]; l && l.indent === indent && !isItem(l); l = this.lines[this.i]) {
      const k = key(l.text, 0, false);
      if (!k || l.text[k.end] !== ':' || (k.end + 1 < l.text.length && l.text[k.end + 1] !== ' ')) decline();
      this.i++;
      const v = inline(l.text.slice(k!.end + 1), l.no);
      let item: Scanned;
      if (v) {
        this.ended(indent);
        item = v;
      } else item = this.below(indent, l.no, true);
      add(value, place, k!.key, l.no, item.value, item.place);
    }
    this.closed(indent);
    return { value, place, end: 0 };
  }

  seq(indent: number): Scanned {
    const value: unknown[] = [];
    const items: Place[] = [];
    const line = this.lines[this.i]!.no;
    for (let l = this.lines[this.i]; l && l.indent === indent && isItem(l); l = this.lines[this.i]) {
      const rest = l.text.slice(1);
      const at = skipSpaces(rest, 0);
      if (at === rest.length || rest[at] === '#') {
        // `-` alone: the item is the block below it, or null
        this.i++;
        const item = this.below(indent, l.no, false);
        value.push(item.value);
        items.push(item.place);
        continue;
      }
      if (isItem({ no: 0, indent: 0, text: rest.slice(at) })) decline();
      const k = rest[at] === '[' || rest[at] === '{' ? undefined : key(rest, at, false);
      if (k && rest[k.end] === ':' && (k.end + 1 === rest.length || rest[k.end + 1] === ' ')) {
        // `- key: value`: a mapping whose keys line up with this one, one column after the dash and its spaces
        const column = indent + 1 + at;
        this.lines[this.i] = { no: l.no, indent: column, text: rest.slice(at) };
        const item = this.map(column);
        value.push(item.value);
        items.push(item.place);
        continue;
      }
      this.i++;
      const v = inline(rest, l.no)!;
      this.ended(indent);
      value.push(v.value);
      items.push(v.place);
    }
    this.closed(indent);
    return { value, place: { kind: 'seq', line, items }, end: 0 };
  }

  /** a block ends at a line indented less; a line indented more than the block here is an error */
  closed(indent: number): void {
    const next = this.lines[this.i];
    if (next && next.indent > indent) decline();
  }
}

/** The lines that hold something, or a decline (tabs, CR, unusual characters, directives, document markers). */
function contentLines(text: string): Line[] {
  if (text.includes('\t') || text.includes('\r') || UNUSUAL.test(text)) decline();
  const out: Line[] = [];
  const raw = text.split('\n');
  for (let n = 0; n < raw.length; n++) {
    const s = raw[n]!;
    const indent = skipSpaces(s, 0);
    if (indent === s.length || s[indent] === '#') continue;
    if (indent === 0 && (s.startsWith('---') || s.startsWith('...') || s[0] === '%')) decline();
    out.push({ no: n + 1, indent, text: s.slice(indent) });
  }
  return out;
}

/**
 * `text` as the `yaml` package would read it, when it is a plain mapping; undefined otherwise (the
 * caller then uses the package).
 */
export function readPlainYaml(text: string): PlainYaml | undefined {
  try {
    const lines = contentLines(text);
    if (!lines.length || isItem(lines[0])) return undefined;
    const reader = new Reader(lines);
    const root = reader.map(lines[0]!.indent);
    if (reader.i !== lines.length) return undefined;
    const place = root.place;
    return { value: root.value as Record<string, unknown>, locator: (label) => locator(place, label) };
  } catch (e) {
    // a nesting too deep for the stack is not plain either
    if (e instanceof Decline || e instanceof RangeError) return undefined;
    throw e;
  }
}

/** src/util/yaml-locate.ts's walk, over places instead of the package's nodes. */
function locator(root: Place, label: string): Locate {
  return (path: IssuePath, at: 'key' | 'value') => {
    let node: Place | undefined = root;
    let best: Place = root;
    let parentKey: { line: number } | undefined;
    for (let i = 0; i < path.length && node; i++) {
      const seg = path[i]!;
      if (node.kind === 'map') {
        const k = node.keys.indexOf(String(seg));
        if (k < 0) {
          if (parentKey) best = parentKey as Place;
          break;
        }
        parentKey = { line: node.keyLines[k]! };
        node = i === path.length - 1 && at === 'key' ? (parentKey as Place) : node.values[k]!;
      } else if (node.kind === 'seq' && typeof seg === 'number') {
        node = node.items[seg];
        parentKey = node;
      } else break;
      if (node) best = node;
    }
    return `${label}:${best.line}`;
  };
}
