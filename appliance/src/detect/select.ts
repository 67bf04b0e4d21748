import type { Hit } from './match.js';
import type { PatternRef } from './memory.js';

/** Strength of a form when one value matches several ways in one place: the plainest evidence wins. */
const FORM_RANK = ['url', 'url-canonical', 'url-no-scheme', 'url-no-query', 'url-no-scheme-no-query', 'search', 'search+plus', 'search%encoded', 'search%form', 'host', 'host-no-www'];

function rank(form: string): number {
  const i = FORM_RANK.indexOf(form);
  return i >= 0 ? i : FORM_RANK.length;
}

/**
 * The hits of one leaf that stand on their own: a hit inside the span of a longer hit of another
 * value (the host inside a matched URL, the search term inside a matched result-page URL) is part
 * of that leak, not another one. Per value, the strongest form is kept.
 */
export function selectHits(hits: readonly Hit<PatternRef>[]): Hit<PatternRef>[] {
  if (hits.length <= 1) return [...hits];
  const standalone = hits.filter(
    (hit) => !hits.some((other) => other.pattern.ref.value !== hit.pattern.ref.value && other.start <= hit.start && hit.end <= other.end && other.end - other.start > hit.end - hit.start),
  );
  const best = new Map<PatternRef['value'], Hit<PatternRef>>();
  for (const hit of standalone) {
    const current = best.get(hit.pattern.ref.value);
    if (!current || rank(hit.pattern.ref.form.form) < rank(current.pattern.ref.form.form)) best.set(hit.pattern.ref.value, hit);
  }
  return [...best.values()].sort((a, b) => a.start - b.start);
}
