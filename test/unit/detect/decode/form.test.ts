import { describe, expect, it } from 'vitest';
import { decodeForm, form, looksLikeForm } from '../../../../appliance/src/detect/decode/form.js';
import { URL, b64, children, context, leaves } from './helpers.js';

const FORM = 'application/x-www-form-urlencoded';

describe('form codec', () => {
  it.each([
    ['plain fields', `a=1&u=${encodeURIComponent(URL)}`, [['form:a', '1'], ['form:u', URL]]],
    ['+ as space', 'q=privacy+test+query', [['form:q', 'privacy test query']]],
    ['repeated keys, kept', 'k=1&k=2', [['form:k', '1'], ['form:k', '2']]],
    ['a key without a value', 'flag&a=1', [['form:flag', ''], ['form:a', '1']]],
    ['an encoded key', 'page%20url=x', [['form:page url', 'x']]],
  ])('splits %s', (_name, text, expected) => {
    expect(children(decodeForm(text))).toEqual(expected);
  });

  it('claims any body declared as a form, first', () => {
    expect(form.sniff('a=anything', context({ contentType: `${FORM}; charset=UTF-8`, depth: 0 }))).toBe(100);
  });

  it.each([
    ['JSON', '{"event":"visit","domain_hash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}'],
    ['a JSON array', ' [{"url":"https://news.example/a"}]'],
    ['text with no field at all', 'hello world'],
  ])('leaves %s labelled as a form to the codecs that read it (a client posting with a default content type)', (_name, text) => {
    expect(form.sniff(text, context({ contentType: FORM, depth: 0 }))).toBeLessThan(0);
  });

  it.each([
    ['a field-shaped value', 'a=1&b=2', true],
    ['keys that are not field names', '1 + 1=2', false],
    ['a lone empty key (base64 ends in =)', 'abc=', false],
    ['text without =', 'hello world', false],
  ])('sniffs %s inside a request: %s', (_name, text, expected) => {
    expect(looksLikeForm(text)).toBe(expected);
  });

  it('does not sniff a form at the root, where it would claim any text with =', () => {
    expect(form.sniff('a=1&b=2', context({ depth: 0 }))).toBeLessThan(0);
  });

  it('turns spaces back into + for a base64 value a client sent with raw +', () => {
    const data = b64('{"u":"https://a.example/x>>>"}');
    expect(data).toContain('+');
    expect(leaves({ data: `d=${data}`, contentType: FORM })).toEqual([['form:d → base64 → json:$.u', 'https://a.example/x>>>']]);
  });
});
