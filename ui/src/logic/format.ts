/** Words for numbers, times and sizes, as the page shows them. Pure: `now` is passed in. */

/** `1 request`, `2 requests`; `irregular` for words like company → companies. */
export function plural(n: number, word: string, irregular?: string): string {
  return `${n.toLocaleString('en')} ${n === 1 ? word : (irregular ?? `${word}s`)}`;
}

/** "just now", "5 minutes ago", "3 hours ago", "2 days ago". */
export function timeAgo(then: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${plural(minutes, 'minute')} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${plural(hours, 'hour')} ago`;
  return `${plural(Math.round(hours / 24), 'day')} ago`;
}

/** "in under a minute", "in 5 minutes", "in 3 hours", "in 2 days". */
export function timeUntil(then: number, now: number): string {
  const minutes = Math.round(Math.max(0, then - now) / 60_000);
  if (minutes < 1) return 'in under a minute';
  if (minutes < 60) return `in ${plural(minutes, 'minute')}`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `in ${plural(hours, 'hour')}`;
  return `in ${plural(Math.round(hours / 24), 'day')}`;
}

/** A date and time in the phone's own locale and zone, to the second (evidence needs it). */
export function dateTime(time: number | string): string {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? String(time) : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** 1536 → "1.5 KB" (powers of 1024, as the retention setting is given). */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? Math.round(value) : Math.round(value * 10) / 10} ${units[unit]}`;
}

/** 93784 s → "1 day 2 hours". */
export function duration(seconds: number): string {
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (days > 0) return `${plural(days, 'day')} ${plural(hours, 'hour')}`;
  if (hours > 0) return `${plural(hours, 'hour')} ${plural(minutes, 'minute')}`;
  return plural(minutes, 'minute');
}

/** A country code as a name where the phone knows it ("SG" → "Singapore"), else the code. */
export function countryName(code: string | null | undefined): string {
  if (!code) return 'an unknown country';
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' }).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}
