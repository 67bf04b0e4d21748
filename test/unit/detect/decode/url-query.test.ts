import { describe, expect, it } from 'vitest';
import { decodeUrlQuery, looksLikeUrlWithQuery } from '../../../../appliance/src/detect/decode/url-query.js';
import { URL, children, leaves } from './helpers.js';

describe('query codec', () => {
  it('keeps the URL as a leaf and walks its query values', () => {
    const click = `https://ads.example.net/c?dest=${encodeURIComponent(URL)}`;
    expect(leaves({ data: JSON.stringify({ c: click }) })).toEqual([['json:$.c', click], ['json:$.c → query:dest', URL]]);
  });

  it.each([
    ['a query', 'https://a.example/p?x=1&y=two', [['query:x', '1'], ['query:y', 'two']]],
    ['a query-shaped fragment', 'https://a.example/p#ref=abc&u=1', [['query:ref', 'abc'], ['query:u', '1']]],
    ['both', 'https://a.example/p?x=1#y=2', [['query:x', '1'], ['query:y', '2']]],
  ])('reads %s', (_name, url, expected) => {
    const outcome = decodeUrlQuery(url);
    expect(outcome.ok && outcome.keepLeaf).toBe(true);
    expect(children(outcome)).toEqual(expected);
  });

  it.each([
    ['a URL without a query', 'https://a.example/p'],
    ['a relative path', '/p?x=1'],
    ['a fragment that is an anchor', 'https://a.example/p#top'],
  ])('does not claim %s', (_name, text) => {
    expect(looksLikeUrlWithQuery(text)).toBe(false);
  });
});
