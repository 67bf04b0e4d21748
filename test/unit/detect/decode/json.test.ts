import { describe, expect, it } from 'vitest';
import { MAX_NESTING, decodeJson, json, looksLikeJson, nestedDeeperThan } from '../../../../appliance/src/detect/decode/json.js';
import { URL, children, context, leaves } from './helpers.js';

describe('json codec', () => {
  it.each([
    ['an array of events', JSON.stringify([{ properties: { url: URL } }]), [['json:$[0].properties.url', URL]]],
    ['escaped slashes and \\u escapes', '{"u":"https:\\/\\/news.example.org\\/a","t":"\\u516d\\u56db"}', [['json:$.u', 'https://news.example.org/a'], ['json:$.t', '六四']]],
    ['keys that need quoting', JSON.stringify({ 'page url': URL, $url: URL }), [['json:$["page url"]', URL], ['json:$.$url', URL]]],
    ['a URL used as a key', JSON.stringify({ [URL]: 3 }), [[`json:$["${URL}"]{key}`, URL]]],
    ['a bare string', JSON.stringify(URL), [['json:$', URL]]],
    ['numbers and booleans (no leaves)', '{"a":1,"b":true,"c":null}', []],
  ])('lists the strings of %s with their JSONPath', (_name, text, expected) => {
    expect(children(decodeJson(text, 1000))).toEqual(expected);
  });

  it('walks JSON inside a JSON string as a second json step', () => {
    const data = JSON.stringify({ payload: JSON.stringify({ page: { url: URL } }) });
    expect(leaves({ data })).toEqual([['json:$.payload → json:$.page.url', URL]]);
  });

  it('keeps the decoded document as the parent of each value, for evidence excerpts', () => {
    const text = JSON.stringify({ u: URL });
    const outcome = decodeJson(text, 1000);
    expect(outcome.ok && outcome.children[0]).toEqual({ kind: 'text', text: URL, step: { codec: 'json', at: '$.u' }, parent: text });
  });

  it.each([
    ['a prefix before the array', 'cb([1])'],
    ['a single brace', '{'],
    ['plain text', 'hello'],
  ])('does not claim %s', (_name, text) => {
    expect(looksLikeJson(text)).toBe(false);
  });

  it('claims a whole value with surrounding white space', () => {
    expect(json.sniff('  {"a":"b"}\n', context())).toBeGreaterThanOrEqual(0);
  });

  it('reports broken JSON as invalid, not as an exception', () => {
    expect(decodeJson('{"a":', 1000)).toEqual({ ok: false, reason: 'invalid', detail: 'not JSON' });
  });

  it('does not parse JSON nested deeper than MAX_NESTING (a bomb of brackets), and says so', () => {
    const nest = (n: number) => `${'['.repeat(n)}"https://deep.example/"${']'.repeat(n)}`;
    expect(decodeJson(nest(MAX_NESTING + 1), 1_000_000)).toEqual({ ok: false, reason: 'budget', detail: `JSON nested more than ${MAX_NESTING} deep` });
    expect(children(decodeJson(nest(MAX_NESTING), 1_000_000))).toEqual([[`json:$${'[0]'.repeat(MAX_NESTING)}`, 'https://deep.example/']]);
  });

  it('counts nesting outside strings only, closing each level', () => {
    const brackets = '[{'.repeat(30);
    expect(nestedDeeperThan(JSON.stringify({ a: brackets, b: `\\"${brackets}` }), 3)).toBe(false);
    expect(nestedDeeperThan(JSON.stringify(Array.from({ length: 100 }, () => [[[1]]])), 4)).toBe(false);
    expect(nestedDeeperThan('[[[[[1]]]]]', 4)).toBe(true);
    expect(nestedDeeperThan('{"a":{"b":{"c":{"d":1}}}}', 3)).toBe(true);
    // An escaped backslash ends with the string's closing quote: the fourth level after it counts.
    expect(nestedDeeperThan(String.raw`{"a":{"b":{"c":"\\","d":{"e":1}}}}`, 3)).toBe(true);
    expect(nestedDeeperThan(String.raw`{"a":{"b":{"c":"\"{{{{"}}}`, 3)).toBe(false);
  });

  it('stops listing at the value budget and says so', () => {
    const outcome = decodeJson(JSON.stringify(['a', 'b', 'c', 'd']), 3);
    expect(outcome.ok && [outcome.children.length, outcome.problem]).toEqual([2, { reason: 'budget', detail: 'JSON has more than 3 values' }]);
  });
});
