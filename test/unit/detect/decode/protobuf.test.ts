import { gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { looksLikeProtobuf, parseMessage } from '../../../../appliance/src/detect/decode/protobuf.js';
import { pbEncode } from '../../../fixtures/sdk/protobuf.js';
import { URL, leaves } from './helpers.js';

describe('protobuf codec', () => {
  it('reads a nested message holding a URL, with a field path', () => {
    expect(leaves({ data: pbEncode([[1, 7], [2, [[1, 'view'], [3, URL]]]]) })).toEqual([['protobuf:2.1', 'view'], ['protobuf:2.3', URL]]);
  });

  it('walks a bytes field further (gzip inside a field)', () => {
    expect(leaves({ data: pbEncode([[1, 'event'], [4, gzipSync(URL)]]) })).toEqual([['protobuf:1', 'event'], ['protobuf:4 → gzip', URL]]);
  });

  it('lists a repeated field value once per distinct value', () => {
    expect(leaves({ data: pbEncode([[1, 'abc'], [1, 'abc'], [1, 'xyz']]) })).toEqual([['protobuf:1', 'abc'], ['protobuf:1', 'xyz']]);
  });

  it.each([
    ['64-bit and 32-bit fields', Buffer.concat([Buffer.from([0x09, 1, 2, 3, 4, 5, 6, 7, 8, 0x15, 1, 2, 3, 4]), pbEncode([[3, 'hello']])]), 1],
  ])('parses %s', (_name, data, strings) => {
    expect(parseMessage(data)?.length).toBe(strings);
  });

  it.each([
    ['field number 0', Buffer.from([0x02, 0x01, 0x41])],
    ['a length past the end', Buffer.from([0x0a, 0x09, 0x41])],
    ['a group', Buffer.from([0x0b, 0x0c])],
    ['wire type 7', Buffer.from([0x0f, 0x01])],
    ['a truncated varint', Buffer.from([0x08, 0xff])],
  ])('rejects %s', (_name, data) => {
    expect(parseMessage(data)).toBeUndefined();
  });

  it('does not take a message without any printable string', () => {
    expect(looksLikeProtobuf(pbEncode([[1, 5], [2, 9]]))).toBe(false);
  });

  it('does not take random bytes for a message', () => {
    let parsed = 0;
    for (let i = 0; i < 200; i++) if (looksLikeProtobuf(randomBytes(64))) parsed++;
    expect(parsed).toBe(0);
  });
});
