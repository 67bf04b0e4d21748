import { hash } from 'node:crypto';
import type { LeakKind } from '../model/index.js';
import { searchTermOf } from './search-engines.js';

/**
 * How a pattern's match must be bounded in the text around it, so `bbc.com` does not match inside
 * `notbbc.com` and a hash does not match inside a longer hex string. `bare-url` is a URL cut at its
 * query that must not go on with another query (a result page's path with some other search);
 * `base64` a digest's base64 that must not be part of a longer base64 run.
 */
export type Boundary = 'url' | 'bare-url' | 'host' | 'word' | 'hex' | 'base64';

/** One way a browsing value can appear in a request: the value itself, encoded, or hashed. */
export interface ValueForm {
  form: string;
  /** Lowercased text to search for. */
  text: string;
  boundary: Boundary;
}

export interface BrowsingValue {
  kind: Extract<LeakKind, 'url' | 'host' | 'search'>;
  value: string;
}

const hashes = ['md5', 'sha1', 'sha256'] as const;

/** A digest as hex, and as the base64 of its bytes (standard and URL-safe, unpadded; matched lowercased). */
function hashForms(source: string, label: string): ValueForm[] {
  return hashes.flatMap((algorithm) => {
    // The one-shot hash: a page load hashes its URL and host nine times or more.
    const digest = hash(algorithm, source, 'buffer');
    const standard = digest.toString('base64').replace(/=+$/, '').toLowerCase();
    const urlSafe = digest.toString('base64url').toLowerCase();
    return [
      { form: `${algorithm}(${label})`, text: digest.toString('hex'), boundary: 'hex' as const },
      { form: `base64(${algorithm}(${label}))`, text: standard, boundary: 'base64' as const },
      ...(urlSafe !== standard ? [{ form: `base64url(${algorithm}(${label}))`, text: urlSafe, boundary: 'base64' as const }] : []),
    ];
  });
}

function push(forms: ValueForm[], form: ValueForm): void {
  if (!forms.some((f) => f.text === form.text)) forms.push(form);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * One spelling for every way of writing a URL: lowercased, percent-escapes decoded, `+` in the
 * query read as a space. Browsed URLs and URL-shaped leaves are both put in this form.
 */
export function canonicalUrl(url: string): string {
  const q = url.indexOf('?');
  const head = q >= 0 ? url.slice(0, q) : url;
  const query = q >= 0 ? url.slice(q).replace(/\+/g, ' ') : '';
  return safeDecode(head + query).toLowerCase();
}

/** The query is what identifies a result page: its bare path (`/search`) is the same for everyone. */
function isResultPage(url: string): boolean {
  try {
    return searchTermOf(new URL(url)) !== undefined;
  } catch {
    return false;
  }
}

/** Forms of a page URL: as browsed, without scheme, without query/fragment, percent-decoded, hashed. */
export function urlForms(url: string): ValueForm[] {
  const forms: ValueForm[] = [];
  const lower = url.toLowerCase();
  push(forms, { form: 'url', text: lower, boundary: 'url' });
  // The same page written differently: %-escapes decoded, `+` or %20 for spaces, no trailing slash.
  const canonical = canonicalUrl(url);
  if (canonical !== lower) push(forms, { form: 'url-canonical', text: canonical, boundary: 'url' });
  if (/^https?:\/\/[^/]+\/$/.test(lower)) push(forms, { form: 'url', text: lower.slice(0, -1), boundary: 'url' });
  const noScheme = lower.replace(/^https?:\/\//, '');
  if (noScheme !== lower) push(forms, { form: 'url-no-scheme', text: noScheme, boundary: 'url' });

  const cut = lower.search(/[?#]/);
  if (cut > 0) {
    const bare = lower.slice(0, cut);
    const path = bare.replace(/^https?:\/\/[^/]*/, '');
    // A result page without its query still says where the user searched; with another query it
    // is another search, so it must end there. A bare "/" says nothing beyond the host.
    const boundary = isResultPage(url) ? 'bare-url' : 'url';
    if (path.replace(/\/$/, '').length >= 2) {
      push(forms, { form: 'url-no-query', text: bare, boundary });
      const bareNoScheme = bare.replace(/^https?:\/\//, '');
      push(forms, { form: 'url-no-scheme-no-query', text: bareNoScheme, boundary });
    }
  }
  for (const f of hashForms(url, 'url')) push(forms, f);
  return forms;
}

export function hostForms(host: string): ValueForm[] {
  const lower = host.toLowerCase();
  const forms: ValueForm[] = [{ form: 'host', text: lower, boundary: 'host' }];
  const bare = lower.replace(/^www\./, '');
  if (bare !== lower && bare.includes('.')) forms.push({ form: 'host-no-www', text: bare, boundary: 'host' });
  for (const f of hashForms(lower, 'host')) push(forms, f);
  if (bare !== lower && bare.includes('.')) for (const f of hashForms(bare, 'host-no-www')) push(forms, f);
  return forms;
}

/** A search term raw, +-joined, percent-encoded (both space styles). */
export function searchForms(term: string): ValueForm[] {
  const lower = term.toLowerCase();
  const forms: ValueForm[] = [{ form: 'search', text: lower, boundary: 'word' }];
  if (lower.includes(' ')) push(forms, { form: 'search+plus', text: lower.replace(/ +/g, '+'), boundary: 'word' });
  const encoded = encodeURIComponent(lower).toLowerCase();
  if (encoded !== lower) {
    push(forms, { form: 'search%encoded', text: encoded, boundary: 'word' });
    push(forms, { form: 'search%form', text: encoded.replace(/%20/g, '+'), boundary: 'word' });
  }
  return forms;
}

export function formsOf(value: BrowsingValue): ValueForm[] {
  switch (value.kind) {
    case 'url':
      return urlForms(value.value);
    case 'host':
      return hostForms(value.value);
    case 'search':
      return searchForms(value.value);
  }
}
