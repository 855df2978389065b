// Reading RPC parameters (flat strings from the query or the form body) with the documented
// conventions: `Name.N` repeated lists, `Name.N.Sub` object lists, JSON-array strings, booleans.
import { InvalidParameter, MissingParameter } from './errors.js';

export class Params {
  constructor(readonly raw: Readonly<Record<string, string>>) {}

  has(name: string): boolean {
    return this.raw[name] !== undefined && this.raw[name] !== '';
  }

  str(name: string): string | undefined {
    const v = this.raw[name];
    return v === undefined || v === '' ? undefined : v;
  }

  req(name: string): string {
    const v = this.str(name);
    if (v === undefined) throw new MissingParameter(name);
    return v;
  }

  int(name: string, opts: { min?: number; max?: number } = {}): number | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    if (!/^-?\d+$/.test(v)) throw new InvalidParameter(name, `"${v}" is not an integer`);
    const n = Number(v);
    if (opts.min !== undefined && n < opts.min) throw new InvalidParameter(name, `must be at least ${opts.min}`);
    if (opts.max !== undefined && n > opts.max) throw new InvalidParameter(name, `must be at most ${opts.max}`);
    return n;
  }

  bool(name: string): boolean | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    if (/^true$/i.test(v)) return true;
    if (/^false$/i.test(v)) return false;
    throw new InvalidParameter(name, `"${v}" is not a boolean`);
  }

  oneOf<T extends string>(name: string, values: readonly T[], opts: { ignoreCase?: boolean } = {}): T | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    const hit = values.find((x) => (opts.ignoreCase ? x.toLowerCase() === v.toLowerCase() : x === v));
    if (!hit) throw new InvalidParameter(name, `"${v}" is not one of ${values.join(', ')}`);
    return hit;
  }

  /** `Name.1`, `Name.2`, ... (the SDK's flattening of a string list), in index order */
  list(name: string): string[] {
    const re = new RegExp(`^${escape(name)}\\.(\\d+)$`);
    return Object.entries(this.raw)
      .map(([k, v]) => [re.exec(k)?.[1], v] as const)
      .filter((e): e is readonly [string, string] => e[0] !== undefined && e[1] !== '')
      .sort((a, b) => Number(a[0]) - Number(b[0]))
      .map(([, v]) => v);
  }

  /** `Name.N.Sub` object lists: [{Sub: v, ...}, ...] in index order (nested `Sub.M` kept flat as "Sub.M") */
  objects(name: string): Record<string, string>[] {
    const re = new RegExp(`^${escape(name)}\\.(\\d+)\\.(.+)$`);
    const byIdx = new Map<number, Record<string, string>>();
    for (const [k, v] of Object.entries(this.raw)) {
      const m = re.exec(k);
      if (!m) continue;
      const i = Number(m[1]);
      if (!byIdx.has(i)) byIdx.set(i, {});
      byIdx.get(i)![m[2]!] = v;
    }
    return [...byIdx.entries()].sort((a, b) => a[0] - b[0]).map(([, o]) => o);
  }

  /** a parameter documented as a JSON array string, e.g. InstanceIds='["i-1","i-2"]' */
  jsonList(name: string, max = 100): string[] | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      throw new InvalidParameter(name, 'expected a JSON array of strings, e.g. ["a","b"]');
    }
    if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) {
      throw new InvalidParameter(name, 'expected a JSON array of strings, e.g. ["a","b"]');
    }
    if (parsed.length > max) throw new InvalidParameter(name, `at most ${max} entries`);
    return parsed as string[];
  }

  /** comma-separated ids (VPC DescribeVpcs VpcId, SLB LoadBalancerId) */
  csv(name: string, max: number): string[] | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    const ids = v.split(',').map((s) => s.trim()).filter(Boolean);
    if (ids.length > max) throw new InvalidParameter(name, `at most ${max} comma-separated values`);
    return ids;
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
