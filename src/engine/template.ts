// {{placeholder}} rendering for rule messages and remediation text.
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** Render; a placeholder with no value stays visible as {{name}} (the rule tester fails on it). */
export function render(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => (name in data ? String(data[name]) : whole));
}
