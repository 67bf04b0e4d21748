import { getDomain } from 'tldts';

/** Answers by host: a phone talks to a few hundred hosts, and every request asks for its site. */
const known = new Map<string, string | undefined>();
const MAX_KNOWN = 4096;

/**
 * The registrable domain (eTLD+1 by the Public Suffix List) of a host: `sa.api.intl.miui.com` →
 * `miui.com`. Private suffixes count (`foo.github.io` and `bar.github.io` are different parties).
 * IP literals and single-label names have none: `undefined`.
 */
export function registrableDomain(host: string): string | undefined {
  if (known.has(host)) return known.get(host);
  const clean = host.trim().toLowerCase().replace(/\.$/, '').replace(/^\[|\]$/g, '');
  const site = clean === '' || /^[\d.]+$/.test(clean) || clean.includes(':') ? undefined : (getDomain(clean, { allowPrivateDomains: true }) ?? undefined);
  if (known.size >= MAX_KNOWN) known.clear();
  known.set(host, site);
  return site;
}
