import { deflateRawSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deflate } from '../../../../appliance/src/detect/decode/deflate.js';
import { URL, b64, context, leaves } from './helpers.js';

describe('raw deflate codec', () => {
  it('reads a raw deflate body (no magic)', () => {
    expect(leaves({ data: deflateRawSync(JSON.stringify({ u: URL })) })).toEqual([['deflate → json:$.u', URL]]);
  });

  it('reads raw deflate inside base64', () => {
    expect(leaves({ data: JSON.stringify({ z: b64(deflateRawSync(JSON.stringify({ u: URL }))) }) })).toEqual([['json:$.z → base64 → deflate → json:$.u', URL]]);
  });

  it('discards output that is not readable', () => {
    const outcome = deflate.decode(deflateRawSync(randomBytes(100)), context());
    expect(outcome).toEqual({ ok: false, reason: 'invalid', detail: 'not deflate data' });
  });
});
