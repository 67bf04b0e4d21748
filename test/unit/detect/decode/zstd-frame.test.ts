import { describe, expect, it } from 'vitest';
import { zstdWindowSize } from '../../../../appliance/src/detect/decode/zstd-frame.js';

const MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

describe('zstd frame header', () => {
  it.each([
    ['a 1 MiB window descriptor', [0x00, 0x50], 1024 * 1024],
    ['a 64 MiB window descriptor', [0x00, 0x80], 64 * 1024 * 1024],
    ['a window with a mantissa (1 KiB + 7/8)', [0x00, 0x07], 1024 + 896],
    ['a single segment with a 1-byte content size', [0x20, 40], 40],
    ['a single segment with a 2-byte content size (+256)', [0x60, 0x00, 0x01], 512],
    ['a single segment with a dictionary id before the size', [0x21, 0x09, 40], 40],
  ])('reads %s', (_name, header, size) => {
    expect(zstdWindowSize(Buffer.from([...MAGIC, ...header, 0, 0, 0]))).toBe(size);
  });

  it('gives up on a header cut short', () => {
    expect(zstdWindowSize(Buffer.from([...MAGIC, 0xe0, 1]))).toBeUndefined();
  });
});
