import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalUrl, hostForms, searchForms, urlForms } from '../../../appliance/src/detect/forms.js';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('value forms', () => {
  it('gives a page URL as browsed, without scheme, without query, and hashed', () => {
    const forms = urlForms('https://News.example.org/world/article-1?utm=x#top');
    expect(Object.fromEntries(forms.map((f) => [f.form, f.text]))).toEqual({
      url: 'https://news.example.org/world/article-1?utm=x#top',
      'url-no-scheme': 'news.example.org/world/article-1?utm=x#top',
      'url-no-query': 'https://news.example.org/world/article-1',
      'url-no-scheme-no-query': 'news.example.org/world/article-1',
      'md5(url)': md5('https://News.example.org/world/article-1?utm=x#top'),
      'sha1(url)': createHash('sha1').update('https://News.example.org/world/article-1?utm=x#top').digest('hex'),
      'sha256(url)': sha256('https://News.example.org/world/article-1?utm=x#top'),
    });
  });

  it('keeps no bare form of a result page, whose path alone says nothing', () => {
    const forms = urlForms('https://www.google.com/search?q=abc').map((f) => f.form);
    expect(forms).not.toContain('url-no-query');
    expect(forms).toContain('url');
  });

  it('adds the canonical spelling (escapes decoded, + as space) when it differs', () => {
    const forms = urlForms('https://www.baidu.com/s?wd=%E5%A4%A9%E5%AE%89%E9%97%A8+news');
    expect(forms.find((f) => f.form === 'url-canonical')?.text).toBe('https://www.baidu.com/s?wd=天安门 news');
    expect(canonicalUrl('https://www.google.com/search?q=privacy%20test')).toBe(canonicalUrl('https://www.google.com/search?q=privacy+test'));
  });

  it('matches a site root with or without its trailing slash', () => {
    expect(urlForms('https://www.bbc.com/').filter((f) => f.form === 'url').map((f) => f.text)).toEqual(['https://www.bbc.com/', 'https://www.bbc.com']);
  });

  it('gives a host without www. and hashes it in lowercase', () => {
    expect(hostForms('WWW.Example.org').map((f) => f.form)).toEqual(['host', 'host-no-www', 'md5(host)', 'sha1(host)', 'sha256(host)']);
    expect(hostForms('News.Example.org').map((f) => f.text)).toEqual([
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
