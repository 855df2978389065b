// A small typed schema for JSON answers: the API answer schemas (src/facts/responses.ts) are written
// with it and their TypeScript types are inferred from them (`Infer<typeof S>`). It is not zod on
// purpose: `check` must not load zod (cold start; test/system/bundle-chunks.test.ts), and an answer
// needs only this much — strings, numbers, booleans, objects (unknown keys dropped), lists, optional
// fields, a union, and a cross-field check. A value that does not fit is refused with the path of
// the first field that differs and what was expected there.

export type Path = (string | number)[];

export class SchemaIssue extends Error {
  constructor(
    readonly path: Path,
    readonly expected: string,
    readonly got: unknown,
  ) {
    super(`${pathText(path)}${path.length ? ': ' : ''}expected ${expected}, got ${typeName(got)}`);
    this.name = 'SchemaIssue';
  }
}

export interface Schema<T> {
  readonly kind: 'string' | 'number' | 'boolean' | 'object' | 'array' | 'optional' | 'union';
  /** the fields of an object schema */
  readonly shape?: Readonly<Record<string, Schema<unknown>>>;
  /** the item schema of a list, the schema an optional wraps */
  readonly inner?: Schema<unknown>;
  readonly options?: readonly Schema<unknown>[];
  /** the value as typed (objects keep only their declared fields), or a SchemaIssue */
  read(v: unknown, path: Path): T;
}

interface Optional<T> extends Schema<T | null | undefined> {
  readonly kind: 'optional';
}

export type Infer<S> = S extends Schema<infer T> ? T : never;
type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends Optional<unknown> ? K : never }[keyof S];
type Flat<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOf<S extends Shape> = Flat<{ [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> }>;

export function typeName(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** Path segments as the wire shows them: Permissions.Permission[0].Direction */
export function pathText(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${p}`)).join('');
}

const scalar = <T>(kind: 'string' | 'number' | 'boolean', test: (v: unknown) => v is T): Schema<T> => ({
  kind,
  read(v, path) {
    if (!test(v)) throw new SchemaIssue(path, kind, v);
    return v;
  },
});

export const string = (): Schema<string> => scalar('string', (v): v is string => typeof v === 'string');
export const number = (): Schema<number> => scalar('number', (v): v is number => typeof v === 'number');
export const boolean = (): Schema<boolean> => scalar('boolean', (v): v is boolean => typeof v === 'boolean');

/** absent or null, or the value */
export function optional<T>(s: Schema<T>): Optional<T> {
  return { kind: 'optional', inner: s as Schema<unknown>, read: (v, path) => (v === undefined || v === null ? v : s.read(v, path)) };
}

export function list<T>(item: Schema<T>): Schema<T[]> {
  return {
    kind: 'array',
    inner: item as Schema<unknown>,
    read(v, path) {
      if (!Array.isArray(v)) throw new SchemaIssue(path, 'a list', v);
      return v.map((x, i) => item.read(x, [...path, i]));
    },
  };
}

/**
 * An object with these fields (others are dropped). `check` sees the typed value and names a field
 * that is wrong in relation to the others ({ field, expected }), or nothing.
 */
export function object<S extends Shape>(shape: S, check?: (v: ObjectOf<S>) => { field: string; expected: string } | undefined): Schema<ObjectOf<S>> {
  return {
    kind: 'object',
    shape,
    read(v, path) {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new SchemaIssue(path, 'an object', v);
      const o = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [k, s] of Object.entries(shape)) {
        const x = s.read(o[k], [...path, k]);
        if (x !== undefined) out[k] = x;
      }
      const typed = out as ObjectOf<S>;
      const wrong = check?.(typed);
      if (wrong) throw new SchemaIssue([...path, wrong.field], wrong.expected, o[wrong.field]);
      return typed;
    },
  };
}

/** The first option that fits; none: refused as `expected`. */
export function union<A, B>(a: Schema<A>, b: Schema<B>, expected: string): Schema<A | B> {
  return {
    kind: 'union',
    options: [a as Schema<unknown>, b as Schema<unknown>],
    read(v, path) {
      for (const s of [a, b] as Schema<A | B>[]) {
        try {
          return s.read(v, path);
        } catch (e) {
          if (!(e instanceof SchemaIssue)) throw e;
        }
      }
      throw new SchemaIssue(path, expected, v);
    },
  };
}
