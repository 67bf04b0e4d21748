import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { asText, entropy, framedGzipOffset, isZlib, looksRandom } from '../../../../appliance/src/detect/decode/bytes.js';

describe('byte facts', () => {
  it.each([
    ['ASCII text', Buffer.from('hello\tworld\r\n'), 'hello\tworld\r\n'],
    ['UTF-8 Chinese', Buffer.from('天安门'), '天安门'],
    ['invalid UTF-8', Buffer.from([0x68, 0xc3, 0x28]), undefined],
    ['text full of control characters', Buffer.from('a\u0001b\u0002c\u0003'), undefined],
    ['nothing', Buffer.alloc(0), ''],
  ])('reads %s as text or not', (_name, data, expected) => {
    expect(asText(data)).toBe(expected);
  });

  it.each([
    ['all zeros', Buffer.alloc(4096), 0],
    ['two values alternating', Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 2)), 1],
    ['every byte value equally', Buffer.from(Array.from({ length: 4096 }, (_, i) => i & 0xff)), 8],
  ])('measures the entropy of %s', (_name, data, bits) => {
    expect(entropy(data)).toBe(bits);
  });

  it.each([
    ['random bytes', randomBytes(4096), true],
    ['32 random bytes', randomBytes(32), true],
    ['31 random bytes (too short to tell)', randomBytes(31), false],
    ['text', Buffer.from('the quick brown fox jumps over the lazy dog '.repeat(20)), false],
    ['zeros', Buffer.alloc(4096), false],
  ])('calls %s random or not', (_name, data, expected) => {
    expect(looksRandom(data)).toBe(expected);
  });

  it('finds a gzip stream a few bytes into a frame', () => {
    expect([framedGzipOffset(Buffer.concat([Buffer.alloc(8, 1), gzipSync('x')])), framedGzipOffset(Buffer.alloc(40, 1))]).toEqual([8, -1]);
  });

  it('checks the zlib header checksum', () => {
    expect([isZlib(Buffer.from([0x78, 0x9c, 0, 0, 0, 0])), isZlib(Buffer.from([0x78, 0x9b, 0, 0, 0, 0]))]).toEqual([true, false]);
  });
});
