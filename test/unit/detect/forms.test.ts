import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalUrl, hostForms, searchForms, urlForms } from '../../../appliance/src/detect/forms.js';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('value forms', () => {
  it('gives a page URL as browsed, without scheme, without query, and hashed (hex, and base64 of the digest)', () => {
    const url = 'https://News.example.org/world/article-1?utm=x#top';
    const forms = urlForms(url);
    const digest = (algorithm: string) => createHash(algorithm).update(url).digest();
    const b64 = (algorithm: string) => digest(algorithm).toString('base64').replace(/=+$/, '').toLowerCase();
    const b64url = (algorithm: string) => digest(algorithm).toString('base64url').toLowerCase();
    const expected: Record<string, string> = {
      url: 'https://news.example.org/world/article-1?utm=x#top',
      'url-no-scheme': 'news.example.org/world/article-1?utm=x#top',
      'url-no-query': 'https://news.example.org/world/article-1',
      'url-no-scheme-no-query': 'news.example.org/world/article-1',
    };
    for (const algorithm of ['md5', 'sha1', 'sha256']) {
      expected[`${algorithm}(url)`] = digest(algorithm).toString('hex');
      expected[`base64(${algorithm}(url))`] = b64(algorithm);
      if (b64url(algorithm) !== b64(algorithm)) expected[`base64url(${algorithm}(url))`] = b64url(algorithm);
    }
    expect(Object.fromEntries(forms.map((f) => [f.form, f.text]))).toEqual(expected);
    expect(md5(url)).toBe(expected['md5(url)']);
    expect(sha256(url)).toBe(expected['sha256(url)']);
  });

  it("keeps a result page's path without its query, but only where the URL ends there", () => {
    const forms = urlForms('https://www.google.com/search?q=abc');
    expect(forms.filter((f) => f.form.includes('no-query')).map((f) => [f.text, f.boundary])).toEqual([
      ['https://www.google.com/search', 'bare-url'],
      ['www.google.com/search', 'bare-url'],
    ]);
  });

  it('adds the canonical spelling (escapes decoded, + as space) when it differs', () => {
    const forms = urlForms('https://www.baidu.com/s?wd=%E5%A4%A9%E5%AE%89%E9%97%A8+news');
    expect(forms.find((f) => f.form === 'url-canonical')?.text).toBe('https://www.baidu.com/s?wd=天安门 news');
    expect(canonicalUrl('https://www.google.com/search?q=privacy%20test')).toBe(canonicalUrl('https://www.google.com/search?q=privacy+test'));
  });

  it('matches a site root with or without its trailing slash', () => {
    expect(urlForms('https://www.bbc.com/').filter((f) => f.form === 'url').map((f) => f.text)).toEqual(['https://www.bbc.com/', 'https://www.bbc.com']);
  });

  it('gives a host without www. and hashes both in lowercase', () => {
    expect(hostForms('WWW.Example.org').filter((f) => f.boundary !== 'base64').map((f) => f.form)).toEqual([
      'host', 'host-no-www', 'md5(host)', 'sha1(host)', 'sha256(host)', 'md5(host-no-www)', 'sha1(host-no-www)', 'sha256(host-no-www)',
    ]);
    expect(hostForms('News.Example.org').filter((f) => f.boundary !== 'base64').map((f) => f.text)).toEqual([
      'news.example.org',
      md5('news.example.org'),
      createHash('sha1').update('news.example.org').digest('hex'),
      sha256('news.example.org'),
    ]);
  });

  it('gives a search term raw, plus-joined and percent-encoded', () => {
    expect(searchForms('Privacy Test & more').map((f) => [f.form, f.text])).toEqual([
      ['search', 'privacy test & more'],
      ['search+plus', 'privacy+test+&+more'],
      ['search%encoded', 'privacy%20test%20%26%20more'],
      ['search%form', 'privacy+test+%26+more'],
    ]);
  });
});
