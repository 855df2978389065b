// How long until an expiry, as a person would say it: "4 days 17 hours", not a truncated "4 days".

const HOUR = 3_600_000;

/** "4 days 17 hours", "1 day", "17 hours", "less than an hour"; `ms` < 0 is treated as 0. */
export function timeLeft(ms: number): string {
  const hours = Math.floor(Math.max(0, ms) / HOUR);
  if (hours < 1) return 'less than an hour';
  const d = Math.floor(hours / 24);
  const h = hours % 24;
  const part = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (d === 0) return part(h, 'hour');
  return h ? `${part(d, 'day')} ${part(h, 'hour')}` : part(d, 'day');
}
