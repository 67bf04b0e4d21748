import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { multipartBoundary } from '../../../../appliance/src/detect/decode/multipart.js';
import { URL, leaves } from './helpers.js';

const part = (boundary: string, name: string, body: string | Buffer, type = '') =>
  Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n${type ? `Content-Type: ${type}\r\n` : ''}\r\n`), Buffer.from(body), Buffer.from('\r\n')]);
const body = (boundary: string, ...parts: Buffer[]) => Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]);

describe('multipart codec', () => {
  it('reads parts by name, a JSON part included', () => {
    const data = body('XyZ123', part('XyZ123', 'meta', 'v=1'), part('XyZ123', 'events', JSON.stringify([{ url: URL }]), 'application/json'));
    expect(leaves({ data, contentType: 'multipart/form-data; boundary=XyZ123' })).toEqual([['multipart:meta → form:v', '1'], ['multipart:events → json:$[0].url', URL]]);
  });

  it('sniffs the boundary of a body that starts with --boundary', () => {
    const data = body('sniffed', part('sniffed', 'u', URL));
    expect(leaves({ data })).toEqual([['multipart:u', URL]]);
  });

  it('walks a binary part as bytes', () => {
    const data = body('b', part('b', 'z', gzipSync(URL)));
    expect(leaves({ data })).toEqual([['multipart:z → gzip', URL]]);
  });

  it.each([
    ['a quoted declared boundary', Buffer.from('x'), 'multipart/form-data; boundary="a b"', 'a b'],
    ['no multipart type and no leading --', Buffer.from('--'), 'text/plain', undefined],
    ['a body that starts with -- but has no line', Buffer.from('--abc'), undefined, undefined],
  ])('finds the boundary for %s', (_name, data, type, expected) => {
    expect(multipartBoundary(data, type)).toBe(expected);
  });
});
