// The dated VPC-build zone table (rules/data/vpc-build-zones.json), merged with config additions.
import { packageFile } from '../paths.js';
import type { ZoneTable } from './types.js';

let cached: ZoneTable | undefined;

export function loadZoneTable(): ZoneTable {
  if (cached) return cached;
  const text = packageFile('rules/data/vpc-build-zones.json');
  if (text === undefined) throw new Error('the zone table rules/data/vpc-build-zones.json is missing from this installation');
  return (cached = JSON.parse(text) as ZoneTable);
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
