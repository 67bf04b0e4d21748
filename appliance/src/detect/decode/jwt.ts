import type { Child, Outcome, TextCodec } from './codec.js';
import { NOT_MINE, fail } from './codec.js';

const JWT = /^eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

export function looksLikeJwt(text: string): boolean {
  return text.length >= 20 && JWT.test(text);
}

/** header.payload.signature: the header (with `alg`) and payload as JSON texts. */
export function decodeJwt(text: string): Outcome {
  const [header, payload] = text.split('.');
  const decoded = [header!, payload!].map((s) => Buffer.from(s, 'base64url').toString('utf8'));
  try {
    const h = JSON.parse(decoded[0]!) as { alg?: unknown };
    if (typeof h !== 'object' || h === null || h.alg === undefined) return fail('invalid', 'JWT header has no alg');
  } catch {
    return fail('invalid', 'JWT header is not JSON');
  }
  const children: Child[] = [
    { kind: 'text', text: decoded[0]!, step: { codec: 'jwt', at: 'header' } },
    { kind: 'text', text: decoded[1]!, step: { codec: 'jwt', at: 'payload' } },
  ];
  return { ok: true, children, bytes: decoded[0]!.length + decoded[1]!.length };
}

export const jwt: TextCodec = {
  name: 'jwt',
  sniff: (text) => (text.startsWith('eyJ') && looksLikeJwt(text) ? 80 : NOT_MINE),
  decode: (text) => decodeJwt(text),
};
