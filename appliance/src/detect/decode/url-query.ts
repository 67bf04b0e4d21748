import type { Child, Outcome, TextCodec } from './codec.js';
import { NOT_MINE, fail } from './codec.js';
import { decodeForm, looksLikeForm } from './form.js';

const URL_WITH_QUERY = /^[a-z][a-z0-9+.-]*:\/\/[^\s?#]*[?#]\S*=/i;

export function looksLikeUrlWithQuery(text: string): boolean {
  return text.length < 65536 && URL_WITH_QUERY.test(text);
}

/** The query (and a query-shaped fragment) of a URL, as `query:<key>` children; the URL stays a leaf. */
export function decodeUrlQuery(text: string): Outcome {
  const hash = text.indexOf('#');
  const beforeHash = hash >= 0 ? text.slice(0, hash) : text;
  const q = beforeHash.indexOf('?');
  const parts = [q >= 0 ? beforeHash.slice(q + 1) : '', hash >= 0 ? text.slice(hash + 1) : ''].filter((p) => p !== '' && looksLikeForm(p));
  const children: Child[] = [];
  let bytes = 0;
  for (const part of parts) {
    const outcome = decodeForm(part, 'query');
    if (!outcome.ok) continue;
    children.push(...outcome.children);
    bytes += outcome.bytes;
  }
  return children.length > 0 ? { ok: true, children, bytes, keepLeaf: true } : fail('invalid', 'no query');
}

/** `query:<key>`: an absolute URL stays a leaf, and its query (and query-like fragment) is walked. */
export const urlQuery: TextCodec = {
  name: 'query',
  sniff: (text) => (text.includes('://') && looksLikeUrlWithQuery(text) ? 70 : NOT_MINE),
  decode: (text) => decodeUrlQuery(text),
};
