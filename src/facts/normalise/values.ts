// Small readers shared by the normalisers: an API value as an optional string.

/** A value as a string, or undefined when absent or empty (the APIs send "" for "not set"). */
export const str = (v: string | number | boolean | null | undefined): string | undefined => (v === undefined || v === null || v === '' ? undefined : String(v));

/** `{ key: value }` when the value is set, else nothing: for spreading optional fields into a fact. */
export function optional<K extends string>(key: K, v: string | number | boolean | null | undefined): { [P in K]?: string } {
  const s = str(v);
  return (s === undefined ? {} : { [key]: s }) as { [P in K]?: string };
}

/** A boolean flag the APIs send as a boolean or as "true"/"false". */
export const flag = (v: boolean | string): boolean => v === true || v === 'true';
