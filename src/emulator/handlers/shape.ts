// Small helpers for shaping documented responses from world entries.

/** the entry without some keys (those the response re-shapes, e.g. lists it wraps) */
export function rest<T extends object>(o: T, omit: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !omit.includes(k)));
}

/** UTC ISO 8601 without milliseconds, as the APIs print times */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}
