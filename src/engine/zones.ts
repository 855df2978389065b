// The dated VPC-build zone table (rules/data/vpc-build-zones.json), merged with config additions.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../paths.js';
import type { ZoneTable } from './types.js';

let cached: ZoneTable | undefined;

export function loadZoneTable(): ZoneTable {
  cached ??= JSON.parse(readFileSync(join(packageRoot(), 'rules', 'data', 'vpc-build-zones.json'), 'utf8')) as ZoneTable;
  return cached;
}

export function withOverrides(table: ZoneTable, overrides: Record<string, string[]> | undefined): ZoneTable {
  if (!overrides) return table;
  const regions = { ...table.regions };
  for (const [region, zones] of Object.entries(overrides)) {
    const base = regions[region]?.zones ?? [];
    regions[region] = { ...regions[region], zones: [...new Set([...base, ...zones])] };
  }
  return { ...table, regions };
}
