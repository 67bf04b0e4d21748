import { countryName, plural, timeAgo } from './format.js';

/** What the verdict needs of one device's alerts (GET /api/alerts/summary). */
export interface VerdictInput {
  alerts: number;
  last: number;
  receivers: { company: string; country: string | null; chinaLinked: boolean; alerts: number }[];
}

/**
 * One sentence a non-expert understands: "Your browsing went to 3 companies in 2 countries, 2 of
 * them china-linked; last 5 minutes ago." Countries are where the receiving servers are registered.
 */
export function verdictSentence(v: VerdictInput, now: number, subject = 'Your browsing'): string {
  if (v.alerts === 0 || v.receivers.length === 0) return `${subject} has not been seen going to anyone else.`;
  const companies = new Map<string, boolean>();
  for (const r of v.receivers) companies.set(r.company, (companies.get(r.company) ?? false) || r.chinaLinked);
  const countries = new Set(v.receivers.map((r) => r.country).filter((c): c is string => c !== null));
  const china = [...companies.values()].filter(Boolean).length;
  const where = countries.size === 0 ? '' : countries.size === 1 ? ` in ${countryName([...countries][0])}` : ` in ${plural(countries.size, 'country', 'countries')}`;
  const whom = companies.size === 1 ? `${[...companies.keys()][0]}` : plural(companies.size, 'company', 'companies');
  const linked = china === 0 ? ', none of them china-linked' : companies.size === 1 ? ', china-linked' : `, ${china} of them china-linked`;
  return `${subject} went to ${whom}${where}${linked}; last ${timeAgo(v.last, now)}.`;
}

export interface Bar {
  label: string;
  value: number;
  chinaLinked: boolean;
}

/** The receivers as bars, most alerts first, one bar per company; the tail folded into "others". */
export function receiverBars(receivers: VerdictInput['receivers'], max = 5): Bar[] {
  const byCompany = new Map<string, Bar>();
  for (const r of receivers) {
    const bar = byCompany.get(r.company) ?? { label: r.company, value: 0, chinaLinked: false };
    bar.value += r.alerts;
    bar.chinaLinked ||= r.chinaLinked;
    byCompany.set(r.company, bar);
  }
  const bars = [...byCompany.values()].sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
  if (bars.length <= max) return bars;
  const rest = bars.slice(max - 1);
  return [...bars.slice(0, max - 1), { label: `${rest.length} others`, value: rest.reduce((n, b) => n + b.value, 0), chinaLinked: rest.some((b) => b.chinaLinked) }];
}
