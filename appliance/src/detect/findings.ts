import { formatPath } from '../model/index.js';
import type { Finding } from './alert-builder.js';
import { suspect } from './classify.js';
import { canonicalUrl } from './forms.js';
import { MIN_PATTERN } from './match.js';
import type { PatternSet } from './match.js';
import type { PatternRef, Remembered } from './memory.js';
import type { RequestLeaf } from './request-leaves.js';
import { selectHits } from './select.js';
import { insideCjkRun, weakHostCounts, weakSearchCounts, weighSearchTerm } from './weak-values.js';

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
    // A URL written another way (`%20` for `+`) is found in its canonical spelling; its host alone
    // may match as written, so the canonical spelling is tried unless a whole URL already matched.
    if (lower.includes('://') && !hits.some((h) => h.pattern.ref.value.kind === 'url')) {
      const canonical = (leaf.canonical ??= canonicalUrl(leaf.text));
      if (canonical !== lower) {
        const again = patterns.scan(canonical);
        if (again.length > 0) {
          hits = again;
          text = canonical;
        }
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
      if ((value.weak || value.shortCjk) && !placementCounts(value, text, hit.start, hit.end, leaf.steps)) continue;
      if (firstPartyExempt && value.site !== undefined && value.site === destSite) continue;
      const finding: Finding = { confidence, kind: confidence === 'proven' ? 'canary' : value.kind, value: value.value, form: form.form, leaf, text, start: hit.start, end: hit.end };
      if (confidence === 'confirmed') {
        finding.browsedAt = value.time;
        finding.browsedUrl = value.browsedUrl;
        if (value.site !== undefined) finding.browsedSite = value.site;
      } else if (value.canary) finding.canary = value.canary;
      findings.push(finding);
    }
  }
  return { findings, touched };
}

/** Where a weak value, or a short CJK term, was found decides whether it is evidence (weak-values.ts). */
function placementCounts(value: Remembered, text: string, start: number, end: number, steps: RequestLeaf['steps']): boolean {
  if (value.kind === 'host') return weakHostCounts(text, start, end, steps);
  if (weakSearchCounts(text, start, end, steps)) return true;
  return !value.weak && !insideCjkRun(text, start, end);
}

/** What suspicion needs to know about the device and the language. */
export interface SuspicionContext {
  isAppHost(host: string): boolean;
  /** Whether the device browsed this value (then it is confirmed or deliberately dropped, never suspected). */
  known(kind: 'url' | 'search', value: string): boolean;
  isCommonWord(word: string): boolean;
}

/**
 * Browsing-like values in browsing fields, in leaves where nothing browsed was found. A weak term
 * (`weather` in `kw`) is what a widget sends without anyone searching: never suspected.
 */
export function suspectedFindings(leaves: readonly RequestLeaf[], skip: ReadonlySet<RequestLeaf>, destSite: string, ctx: SuspicionContext): Finding[] {
  const findings: Finding[] = [];
  for (const leaf of leaves) {
    if (skip.has(leaf)) continue;
    const s = suspect(leaf.text, leaf.steps, { destinationSite: destSite, isAppHost: ctx.isAppHost });
    if (!s || ctx.known(s.kind, s.value)) continue;
    if (s.kind === 'search' && weighSearchTerm(s.value, ctx.isCommonWord).weak) continue;
    const start = Math.max(0, leaf.text.indexOf(s.value));
    findings.push({ confidence: 'suspected', kind: s.kind, value: s.value, form: `field:${s.field}`, leaf, text: leaf.text, start, end: start + s.value.length, field: s.field });
  }
  return findings;
}
