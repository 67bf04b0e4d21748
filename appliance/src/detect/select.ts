import type { Hit } from './match.js';
import type { PatternRef } from './memory.js';

/** Strength of a form when one value matches several ways in one place: the plainest evidence wins. */
const FORM_RANK = ['url', 'url-canonical', 'url-no-scheme', 'url-no-query', 'url-no-scheme-no-query', 'search', 'search+plus', 'search%encoded', 'search%form', 'host', 'host-no-www'];

function rank(form: string): number {
  const i = FORM_RANK.indexOf(form);
  return i >= 0 ? i : FORM_RANK.length;
}

/**
 * The hits of one leaf that stand on their own: a hit inside the span of a longer hit (the host
 * inside a matched URL, the search term inside a matched result-page URL) is part of that leak,
 * not another one. Per value, the strongest form is kept.
 */
export function selectHits(hits: readonly Hit<PatternRef>[]): Hit<PatternRef>[] {
  if (hits.length <= 1) return [...hits];
  const bySpan = [...hits].sort((a, b) => b.end - b.start - (a.end - a.start) || rank(a.pattern.ref.form.form) - rank(b.pattern.ref.form.form));
  const kept: Hit<PatternRef>[] = [];
  for (const hit of bySpan) {
    const inside = kept.some((k) => k.start <= hit.start && hit.end <= k.end && k.pattern.ref.value !== hit.pattern.ref.value);
    const sameValue = kept.some((k) => k.pattern.ref.value === hit.pattern.ref.value);
    if (!inside && !sameValue) kept.push(hit);
  }
  return kept.sort((a, b) => a.start - b.start);
}
