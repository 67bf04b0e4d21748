import { formatPath } from '../model/index.js';
import type { Finding } from './alert-builder.js';
import { suspect } from './classify.js';
import { canonicalUrl } from './forms.js';
import { MIN_PATTERN } from './match.js';
import type { PatternSet } from './match.js';
import type { PatternRef } from './memory.js';
import type { RequestLeaf } from './request-leaves.js';
import { selectHits } from './select.js';

export interface ConfirmedResult {
  findings: Finding[];
  /** Leaves where some browsed value appeared, even if a rule then dropped it. */
  touched: Set<RequestLeaf>;
}

/**
 * Browsed values found in the leaves of one request. A leaf that is a URL is also compared in its
 * canonical spelling, so `q=privacy%20test` finds a browsed `q=privacy+test`.
 */
export function confirmedFindings(
  leaves: readonly RequestLeaf[],
  patterns: PatternSet<PatternRef>,
  destSite: string,
  firstPartyExempt: boolean,
  confidence: 'confirmed' | 'proven' = 'confirmed',
): ConfirmedResult {
  const findings: Finding[] = [];
  const touched = new Set<RequestLeaf>();
  if (patterns.size === 0) return { findings, touched };
  /** Leaves (by chain) where a browsed URL matched: their query fields are part of that URL. */
  const urlLeaves = new Set<string>();
  for (const leaf of leaves) {
    if (leaf.text.length < MIN_PATTERN) continue;
    const lower = (leaf.lower ??= leaf.text.toLowerCase());
    let text = lower.length === leaf.text.length ? leaf.text : lower;
    let hits = patterns.scan(lower);
    if (hits.length === 0 && lower.includes('://')) {
      const canonical = (leaf.canonical ??= canonicalUrl(leaf.text));
      if (canonical !== lower) {
        hits = patterns.scan(canonical);
        text = canonical;
      }
    }
    if (hits.length === 0) continue;
    touched.add(leaf);
    const chain = formatPath(leaf.steps);
    const insideMatchedUrl = leaf.steps[leaf.steps.length - 1]?.codec === 'query' && urlLeaves.has(formatPath(leaf.steps.slice(0, -1)));
    for (const hit of selectHits(hits)) {
      const { value, form } = hit.pattern.ref;
      if (value.kind === 'url') urlLeaves.add(chain);
      else if (insideMatchedUrl) continue;
      if (firstPartyExempt && value.site !== undefined && value.site === destSite) continue;
      const finding: Finding = { confidence, kind: confidence === 'proven' ? 'canary' : value.kind, value: value.value, form: form.form, leaf, text, start: hit.start, end: hit.end };
      if (confidence === 'confirmed') {
        finding.browsedAt = value.time;
        finding.browsedUrl = value.browsedUrl;
      } else if (value.canary) finding.canary = value.canary;
      findings.push(finding);
    }
  }
  return { findings, touched };
}

/** Browsing-like values in browsing fields, in leaves where nothing browsed was found. */
export function suspectedFindings(
  leaves: readonly RequestLeaf[],
  skip: ReadonlySet<RequestLeaf>,
  destSite: string,
  isAppHost: (host: string) => boolean,
  known: (kind: 'url' | 'search', value: string) => boolean,
): Finding[] {
  const findings: Finding[] = [];
  for (const leaf of leaves) {
    if (skip.has(leaf)) continue;
    const s = suspect(leaf.text, leaf.steps, { destinationSite: destSite, isAppHost });
    if (!s || known(s.kind, s.value)) continue;
    const start = Math.max(0, leaf.text.indexOf(s.value));
    findings.push({ confidence: 'suspected', kind: s.kind, value: s.value, form: `field:${s.field}`, leaf, text: leaf.text, start, end: start + s.value.length, field: s.field });
  }
  return findings;
}
