import { describe, expect, it } from 'vitest';
import { zstd } from '../../../../appliance/src/detect/decode/zstd.js';
import { URL, context, leaves } from './helpers.js';

/** A single-segment zstd frame holding one raw block: enough to test without a zstd encoder. */
function zstdFrame(content: Buffer): Buffer {
  const header = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x20, content.length]);
  const block = (content.length << 3) | 1;
  return Buffer.concat([header, Buffer.from([block & 0xff, (block >> 8) & 0xff, (block >> 16) & 0xff]), content]);
}

describe('zstd codec', () => {
  it('reads a zstd frame', () => {
    expect(leaves({ data: zstdFrame(Buffer.from(JSON.stringify({ u: URL }))) })).toEqual([['zstd → json:$.u', URL]]);
  });

  it('reports a corrupt frame as invalid', () => {
    const bad = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0xff, 0xff, 0xff, 0xff]);
    expect(zstd.decode(bad, context())).toEqual({ ok: false, reason: 'invalid', detail: 'not zstd data' });
  });

  it('sniffs only the zstd magic', () => {
    expect([zstd.sniff(zstdFrame(Buffer.from('abc')), context()), zstd.sniff(Buffer.from('abcdefgh'), context())]).toEqual([100, -1]);
  });
});
