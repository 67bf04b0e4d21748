import type { Alert } from '../../../appliance/src/model/alert.js';

const KIND: Record<Alert['data']['kind'], string> = {
  url: 'a page you visited',
  host: 'a site you visited',
  search: 'a search',
  canary: 'a canary test',
  indicator: 'browsing data',
};

/** "A page you visited was sent to sa.api.intl.miui.com" — the alert's one-line title. */
export function alertTitle(a: Pick<Alert, 'data' | 'destination'>): string {
  const what = KIND[a.data.kind] ?? 'browsing data';
  return `${what[0]!.toUpperCase()}${what.slice(1)} was sent to ${a.destination.host}`;
}

/** Who received it, in words: "Xiaomi (Alibaba Cloud, SG)". */
export function receiverLine(d: Alert['destination']): string {
  const company = d.owner ?? d.org ?? d.registrableDomain ?? d.host;
  const extra = [d.owner && d.org && d.org !== d.owner ? d.org : undefined, d.country].filter(Boolean);
  return extra.length ? `${company} (${extra.join(', ')})` : company;
}

/**
 * The china-linked badge, with its kind: "china-linked: owned" (a Chinese-owned network or domain)
 * or "china-linked: hosted in HK" (only the address block's registry country). Empty when not.
 */
export function chinaLinkBadge(d: Pick<Alert['destination'], 'chinaLinked' | 'chinaLink' | 'country'>): string {
  if (!d.chinaLinked) return '';
  if (d.chinaLink === 'hosted-in') return `china-linked: hosted in ${d.country ?? 'CN/HK/MO'}`;
  return 'china-linked: owned';
}

/** What the kind of link means, under the reasons. */
export function chinaLinkMeaning(d: Pick<Alert['destination'], 'chinaLinked' | 'chinaLink'>): string {
  if (!d.chinaLinked) return '';
  if (d.chinaLink === 'hosted-in') {
    return 'Hosted in only: the address block is registered in mainland China, Hong Kong or Macau (the registries\' country, not a measured location). No Chinese owner of the network or domain is known; a foreign company\'s cloud region there looks the same.';
  }
  return 'Owned by: the network or the domain belongs to a Chinese company.';
}

/** What the confidence tier means, for people who will show the alert to others. */
export const CONFIDENCE_MEANING: Record<Alert['confidence'], string> = {
  proven: 'Proven: a canary you planted left the phone.',
  confirmed: 'Confirmed: something this phone browsed was sent to another party.',
  suspected: 'Suspected: a URL or search-like value in a browsing field went to a third party, but the browsing itself was not seen.',
};
