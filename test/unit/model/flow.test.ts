import { describe, expect, it } from 'vitest';
import { headerValue, initiatorFromHeaders } from '../../../appliance/src/model/index.js';

describe('what a request says about who made it', () => {
  it('reads the browser and WebView headers in any case, the first of a repeated one, and ignores the rest', () => {
    const headers = [
      { name: 'Host', value: 'news.example' },
      { name: 'sec-fetch-site', value: 'cross-site' },
      { name: 'Sec-Fetch-Mode', value: 'no-cors' },
      { name: 'SEC-FETCH-DEST', value: 'image' },
      { name: 'Sec-Fetch-User', value: '?1' },
      { name: 'Referer', value: 'https://news.example/a' },
      { name: 'referer', value: 'https://later.example/' },
      { name: 'Origin', value: 'https://news.example' },
      { name: 'User-Agent', value: 'Mozilla/5.0' },
      { name: 'X-Requested-With', value: 'com.mi.globalbrowser' },
      // Names that are properties of every object are headers like any other.
      { name: 'Constructor', value: 'x' },
      { name: '__proto__', value: 'y' },
    ];
    expect(initiatorFromHeaders(headers, 'ping')).toEqual({
      secFetchSite: 'cross-site', secFetchMode: 'no-cors', secFetchDest: 'image', secFetchUser: '?1', referer: 'https://news.example/a',
      origin: 'https://news.example', userAgent: 'Mozilla/5.0', requestedWith: 'com.mi.globalbrowser', resourceType: 'ping',
    });
    expect(initiatorFromHeaders([{ name: 'Accept', value: '*/*' }])).toEqual({});
    // An empty value is a value: the request said it.
    expect(initiatorFromHeaders([{ name: 'Referer', value: '' }, { name: 'Referer', value: 'https://b.example/' }])).toEqual({ referer: '' });
    expect(headerValue(headers, 'REFERER')).toBe('https://news.example/a');
  });
});
