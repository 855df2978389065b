// The official SDK models (fixtures/contract/<product>.json: wire names and types of every request
// and response field, deprecated request fields) and the three checks the contract tests make:
// a response against its model, a read path against its model, a request against its model.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.js';

export type Product = 'ecs' | 'vpc' | 'slb' | 'cr';
export const PRODUCTS: Product[] = ['ecs', 'vpc', 'slb', 'cr'];

export interface ActionModel {
  request: Record<string, string>;
  response: Record<string, string>;
  deprecatedRequestFields: string[];
}

export interface ProductModel {
  product: Product;
  apiVersion: string;
  source: string;
  actions: Record<string, ActionModel>;
}

const cache = new Map<Product, ProductModel>();

export function model(product: Product): ProductModel {
  let m = cache.get(product);
  if (!m) {
    m = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'contract', `${product}.json`), 'utf8')) as ProductModel;
    cache.set(product, m);
  }
  return m;
}

export function actionModel(product: string, action: string): ActionModel | undefined {
  if (!(PRODUCTS as string[]).includes(product)) return undefined;
  const m = model(product as Product);
  return Object.hasOwn(m.actions, action) ? m.actions[action] : undefined;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** does a JSON value have the model's type ("map" = an object of anything) */
function typeMatches(modelType: string, v: unknown): boolean {
  const t = jsonType(v);
  if (modelType === 'map') return t === 'object';
  return t === modelType;
}

/**
 * Every field of `body` that the model of product:action does not have, and every field whose JSON
 * type differs from the model's. Paths are the model's: `A.B[].C`.
 */
export function responseProblems(product: string, action: string, body: unknown): string[] {
  const m = actionModel(product, action);
  if (!m) return [`${product}:${action}: no model for this action`];
  const out: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) {
      // a list of objects has no model entry of its own (`A[]`), only its fields (`A[].B`)
      v.forEach((x) => (x && typeof x === 'object' && !Array.isArray(x) ? walk(x, `${path}[]`) : visit(x, `${path}[]`)));
      return;
    }
    if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, path ? `${path}.${k}` : k);
  };
  const visit = (v: unknown, path: string) => {
    const t = m.response[path];
    if (t === undefined) {
      out.push(`${product}:${action}: the response has ${path}, which the model does not have`);
      return;
    }
    if (!typeMatches(t, v)) {
      out.push(`${product}:${action}: ${path} is ${jsonType(v)} in the response, ${t} in the model`);
      return;
    }
    if (t === 'object' || t === 'array') walk(v, path);
  };
  walk(body, '');
  return [...new Set(out)];
}

/** A read path (as the recording proxy writes it) that the model of product:action does not have. */
export function readProblem(product: string, action: string, path: string): string | undefined {
  const m = actionModel(product, action);
  if (!m) return `${product}:${action}: no model for this action (read ${path})`;
  return Object.hasOwn(m.response, path) ? undefined : `${product}:${action}: the code reads ${path}, which the model does not have`;
}

/** `Filter.1.Value.2` → `Filter[].Value[]`, `PrivateIpAddress.1` → `PrivateIpAddress[]` */
export function requestModelKey(wire: string): string {
  return wire
    .split('.')
    .reduce<string[]>((acc, seg) => {
      if (/^\d+$/.test(seg) && acc.length) acc[acc.length - 1] += '[]';
      else acc.push(seg);
      return acc;
    }, [])
    .join('.');
}

/** Parameters the request model lacks, and deprecated ones. */
export function requestProblems(product: string, action: string, params: Record<string, unknown>): string[] {
  const m = actionModel(product, action);
  if (!m) return [`${product}:${action}: no model for this action`];
  const out: string[] = [];
  for (const wire of Object.keys(params)) {
    const key = requestModelKey(wire);
    if (!Object.hasOwn(m.request, key)) out.push(`${product}:${action}: the request sends ${wire}, which the request model does not have`);
    else if (m.deprecatedRequestFields.includes(key)) out.push(`${product}:${action}: the request sends ${wire}, which the model marks deprecated`);
  }
  return out;
}

/** property reads that are language machinery, not fields (await, JSON.stringify, String(), ...) */
const NOT_FIELDS = new Set(['then', 'toJSON', 'constructor', 'toString', 'valueOf', '__proto__', 'hasOwnProperty', 'inspect', 'nodeType', 'asymmetricMatch', '$$typeof']);

/**
 * `body` behind a Proxy that records, in `sink`, the model path of every field read from it (fields
 * absent from the body included): `Instances.Instance[].VpcAttributes.VpcId`.
 */
export function recordReads<T>(body: T, sink: Set<string>, path = ''): T {
  if (!body || typeof body !== 'object') return body;
  return new Proxy(body as object, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof prop === 'symbol') return v;
      if (Array.isArray(target)) {
        if (!/^\d+$/.test(prop)) return v; // length, map, filter, ...
        return recordReads(v, sink, `${path}[]`);
      }
      if (NOT_FIELDS.has(prop)) return v;
      const p = path ? `${path}.${prop}` : prop;
      sink.add(p);
      return recordReads(v, sink, p);
    },
  }) as T;
}
