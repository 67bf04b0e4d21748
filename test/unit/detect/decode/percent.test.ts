import { describe, expect, it } from 'vitest';
import { decodePercent, percent, percentDecode } from '../../../../appliance/src/detect/decode/percent.js';
import { URL, children, context, leaves } from './helpers.js';

describe('percent codec', () => {
  it.each([
    ['once', encodeURIComponent(URL), URL],
    ['twice', encodeURIComponent(encodeURIComponent(URL)), URL],
    ['%2525 down to %', 'a%2525b', 'a%b'],
    ['UTF-8 Chinese', encodeURIComponent('天安门'), '天安门'],
    ['GBK Chinese (Baidu)', '%CC%EC%B0%B2%C3%C5', '天安门'],
    ['a malformed escape, kept as it is', '100%25 sure %zz', '100% sure %zz'],
  ])('undoes percent-encoding %s', (_name, encoded, text) => {
    expect(children(decodePercent(encoded))).toEqual([['percent', text]]);
  });

  it('reads + as a space only in form mode', () => {
    expect([percentDecode('a+b%20c', true), percentDecode('a+b%20c')]).toEqual(['a b c', 'a+b c']);
  });

  it.each([['no escapes', 'plain text'], ['only a stray %', '100% sure']])('does not claim %s', (_name, text) => {
    expect(percent.sniff(text, context())).toBeLessThan(0);
  });

  it('reads a GBK search term in a form body', () => {
    expect(leaves({ data: 'wd=%CC%EC%B0%B2%C3%C5', contentType: 'application/x-www-form-urlencoded' })).toEqual([['form:wd', '天安门']]);
  });
});
