import { describe, expect, it } from 'vitest';
import { decodeJwt, looksLikeJwt } from '../../../../appliance/src/detect/decode/jwt.js';
import { URL, children, leaves } from './helpers.js';

const seg = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const TOKEN = `${seg({ alg: 'HS256', typ: 'JWT' })}.${seg({ url: URL })}.c2lnbmF0dXJl`;

describe('jwt codec', () => {
  it('decodes the header and payload as JSON texts', () => {
    expect(children(decodeJwt(TOKEN))).toEqual([['jwt:header', '{"alg":"HS256","typ":"JWT"}'], ['jwt:payload', `{"url":"${URL}"}`]]);
  });

  it('walks a payload URL to a leaf', () => {
    expect(leaves({ data: TOKEN })).toEqual([['jwt:header → json:$.alg', 'HS256'], ['jwt:header → json:$.typ', 'JWT'], ['jwt:payload → json:$.url', URL]]);
  });

  it.each([
    ['a header without alg', `${seg({ typ: 'JWT' })}.${seg({ a: 1 })}.x`],
  ])('refuses %s', (_name, token) => {
    expect(decodeJwt(token)).toEqual({ ok: false, reason: 'invalid', detail: 'JWT header has no alg' });
  });

  it.each([
    ['two segments', `${seg({ alg: 'none' })}.${seg({ a: 1 })}`],
    ['a non-JSON first segment', 'abc.def.ghi'],
  ])('does not claim %s', (_name, token) => {
    expect(looksLikeJwt(token)).toBe(false);
  });
});
