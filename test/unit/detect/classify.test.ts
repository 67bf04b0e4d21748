import { describe, expect, it } from 'vitest';
import { fieldName, suspect } from '../../../appliance/src/detect/classify.js';
import type { DecodeStep } from '../../../appliance/src/model/index.js';

const ctx = { destinationSite: 'miui.com', isAppHost: (h: string) => h === 'api.app.example' };
const json = (path: string): DecodeStep[] => [{ codec: 'form', at: 'data_list' }, { codec: 'base64' }, { codec: 'gzip' }, { codec: 'json', at: path }];

describe('fieldName', () => {
  it.each([
    [json('$[0].properties.url'), 'url'],
    [json('$[0].properties.$url'), '$url'],
    [json('$["page url"]'), 'page url'],
    [[{ codec: 'query', at: 'u' }], 'u'],
    [[{ codec: 'base64' }], undefined],
  ] as const)('reads %j as %s', (steps, name) => {
    expect(fieldName(steps as DecodeStep[])).toBe(name);
  });
});

describe('suspect', () => {
  it.each([
    ['a page URL in url', 'https://www.bbc.com/news/world-1', json('$[0].properties.url'), { kind: 'url', value: 'https://www.bbc.com/news/world-1', field: 'url' }],
    ['a page URL in $url', 'https://example.org/p', json('$.properties.$url'), { kind: 'url', value: 'https://example.org/p', field: '$url' }],
    ['a search in search_word', 'privacy test query', json('$[0].properties.search_word'), { kind: 'search', value: 'privacy test query', field: 'search_word' }],
    ['a Chinese search in keyword', '天安门', json('$.keyword'), { kind: 'search', value: '天安门', field: 'keyword' }],
  ])('suspects %s', (_name, text, steps, expected) => {
    expect(suspect(text, steps, ctx)).toEqual(expected);
  });

  it.each([
    ['the SDK endpoint itself', 'https://sa.api.intl.miui.com/sa', json('$.url')],
    ['an ad creative', 'https://cdn.adnet.example/banner.jpg', json('$.url')],
    ['a URL under an ad object', 'https://landing.example/offer', json('$.ads[0].url')],
    ['an app-store link', 'https://play.google.com/store/apps/details?id=com.x', json('$.url')],
    ['a host the app itself talks to', 'https://api.app.example/v1/feed', json('$.url')],
    ['a URL in a field that is not about browsing', 'https://news.example.org/a', json('$.endpoint_url')],
    ['a token in a keyword field', 'dGhpcyBpcyBhIHRva2VuIHZhbHVl', json('$.keyword')],
    ['a non-URL in url', 'not a url', json('$.url')],
    ['a deep link', 'miui://browser/home', json('$.url')],
    ['a connectivity check', 'http://www.google.com/generate_204', json('$.url')],
    ['another service\'s API', 'https://api.weather.example.com/v2/forecast?city=1', json('$.url')],
  ])('does not suspect %s', (_name, text, steps) => {
    expect(suspect(text, steps, ctx)).toBeUndefined();
  });
});
