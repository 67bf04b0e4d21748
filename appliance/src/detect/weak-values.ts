import type { DecodeStep } from '../model/index.js';
import { fieldName, normaliseField } from './classify.js';

/**
 * Some browsed values are also things apps send for their own reasons: a one-word search ("news",
 * "weather", "天气") is a category name, a search engine's host is in every browser's config. Found
 * anywhere, such a *weak* value is a coincidence, not evidence; it counts only where it sits as
 * the whole value of a field whose name says what it is (a search term in `keyword`, a host in
 * `domain`). Short CJK terms get one more rule: CJK has no spaces, so two characters inside a
 * longer CJK sentence are usually part of other words.
 */
export interface SearchTermWeight {
  weak: boolean;
  /** Three CJK characters or fewer. */
  shortCjk: boolean;
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** Shorter single words match by chance whatever the dictionary says (`maps`, `2024`). */
const MIN_RARE_WORD = 6;
/** Two common words are still a phrase apps use ("new york", "top news") up to this length. */
const MAX_COMMON_PAIR = 16;

/**
 * Weak: one word that is short, a number or among the most common words; two common words; a CJK
 * term that is a common word. Anything longer or rarer ("tiananmen square 1989", "xinjiang",
 * "法轮功") is strong. `isCommon` answers for one lowercased word.
 */
export function weighSearchTerm(term: string, isCommon: (word: string) => boolean): SearchTermWeight {
  const lower = term.trim().toLowerCase();
  const letters = [...lower.replace(/\s+/g, '')];
  if (letters.some((c) => CJK.test(c))) return { weak: letters.length <= 1 || isCommon(lower), shortCjk: letters.length <= 3 };
  const words = lower.split(/[\s\p{P}\p{S}]+/u).filter((w) => w !== '');
  if (words.length <= 1) {
    const word = words[0] ?? '';
    return { weak: [...word].length < MIN_RARE_WORD || /^\d+$/.test(word) || isCommon(word), shortCjk: false };
  }
  if (words.length === 2) return { weak: lower.length <= MAX_COMMON_PAIR && words.every(isCommon), shortCjk: false };
  return { weak: false, shortCjk: false };
}

/** Field names that say "what was searched": `q`, `wd`, `kw`, `word`, `term`, and anything with search, query or keyword. */
const SEARCH_FIELD = /search|query|keyword|^(?:q|k|w|wd|kw|key|word|words|term|terms|sq|qs)$/;

/** Field names that say "which page or site": url, host, domain, site, page, link, referrer … */
const PLACE_FIELD = /url|uri|host|domain|site|page|link|href|refer|location|origin|target/;

function fieldMatches(steps: readonly DecodeStep[], pattern: RegExp): boolean {
  const field = fieldName(steps);
  return field !== undefined && pattern.test(normaliseField(field));
}

function wholeValue(text: string, start: number, end: number, prefix = /^\s*$/, suffix = /^\s*$/): boolean {
  return prefix.test(text.slice(0, start)) && suffix.test(text.slice(end));
}

/** A weak search term counts only as the whole value of a search-named field. */
export function weakSearchCounts(text: string, start: number, end: number, steps: readonly DecodeStep[]): boolean {
  return fieldMatches(steps, SEARCH_FIELD) && wholeValue(text, start, end);
}

/** A weak host counts only as the whole value (`host`, `https://host/`) of a field named for a place. */
export function weakHostCounts(text: string, start: number, end: number, steps: readonly DecodeStep[]): boolean {
  return fieldMatches(steps, PLACE_FIELD) && wholeValue(text, start, end, /^\s*(?:https?:\/\/)?$/i, /^\/?\s*$/);
}

/** Whether the match sits inside a longer run of CJK text (a character of it on either side). */
export function insideCjkRun(text: string, start: number, end: number): boolean {
  return (start > 0 && CJK.test(text[start - 1]!)) || (end < text.length && CJK.test(text[end]!));
}
