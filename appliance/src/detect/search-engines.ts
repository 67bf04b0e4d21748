/**
 * Where search engines keep the search term in their result-page URLs.
 * Source: TELEMETRY-FACTS.md §6 (Matomo SearchEngines.yml, Sensors Analytics JS SDK keyword map).
 */
export interface SearchEngine {
  name: string;
  /** Matches the lowercased host. */
  host: RegExp;
  params: readonly string[];
  /** Path must match, when the engine also serves non-search pages with the same parameter. */
  path?: RegExp;
}

export const SEARCH_ENGINES: readonly SearchEngine[] = [
  { name: 'Google', host: /^(?:www\.|encrypted\.)?google\.[a-z.]{2,6}$/, params: ['q'], path: /^\/(?:search|webhp|m)?\/?$|^\/search/ },
  { name: 'Bing', host: /^(?:[a-z]+\.)?bing\.com$/, params: ['q', 'Q'] },
  { name: 'DuckDuckGo', host: /^(?:html\.|r\.|lite\.)?duckduckgo\.com$/, params: ['q'] },
  { name: 'Baidu', host: /^(?:www\.|m\.)?baidu\.com$/, params: ['wd', 'word', 'kw', 'keyword'] },
  { name: 'Yandex', host: /^(?:www\.)?(?:yandex\.[a-z.]{2,6}|ya\.ru)$/, params: ['text'] },
  { name: 'Yahoo!', host: /^(?:[a-z]{2}\.)?search\.yahoo\.(?:com|co\.jp)$/, params: ['p', 'q', 'vp'] },
  { name: 'Sogou', host: /^(?:www\.|wap\.|m\.)?sogou\.com$/, params: ['query', 'keyword'] },
  { name: 'Naver', host: /^(?:m\.)?search\.naver\.com$/, params: ['query'] },
  { name: 'Ecosia', host: /^(?:www\.)?ecosia\.org$/, params: ['q'] },
  { name: 'Startpage', host: /^(?:www\.|eu\.)?startpage\.com$/, params: ['query', 'q'] },
  { name: 'Brave Search', host: /^search\.brave\.com$/, params: ['q'] },
  { name: 'Qwant', host: /^(?:www\.|lite\.)?qwant\.com$/, params: ['q'] },
  { name: '360 Search', host: /^(?:www\.|m\.)?so\.com$|^so\.360\.cn$|^(?:www\.)?haosou\.com$/, params: ['q'] },
  { name: 'Shenma', host: /^(?:m|so\.m|yz\.m|quark)\.sm\.cn$/, params: ['q'] },
];

export interface SearchHit {
  engine: string;
  term: string;
}

/** The search term a result-page URL carries, if it is one. */
export function searchTermOf(url: URL): SearchHit | undefined {
  const host = url.hostname.toLowerCase();
  for (const engine of SEARCH_ENGINES) {
    if (!engine.host.test(host)) continue;
    if (engine.path && !engine.path.test(url.pathname)) continue;
    for (const param of engine.params) {
      const term = url.searchParams.get(param)?.trim();
      if (term) return { engine: engine.name, term };
    }
  }
  return undefined;
}

/** True for hosts of the engines above: their bare host appears in too many SDK configs to count alone. */
export function isSearchEngineHost(host: string): boolean {
  const h = host.toLowerCase();
  return SEARCH_ENGINES.some((e) => e.host.test(h));
}
