import { getDomain } from 'tldts';

/**
 * The registrable domain (eTLD+1 by the Public Suffix List) of a host: `sa.api.intl.miui.com` →
 * `miui.com`. Private suffixes count (`foo.github.io` and `bar.github.io` are different parties).
 * IP literals and single-label names have none: `undefined`.
 */
export function registrableDomain(host: string): string | undefined {
  const clean = host.trim().toLowerCase().replace(/\.$/, '').replace(/^\[|\]$/g, '');
  if (clean === '' || /^[\d.]+$/.test(clean) || clean.includes(':')) return undefined;
  return getDomain(clean, { allowPrivateDomains: true }) ?? undefined;
}
