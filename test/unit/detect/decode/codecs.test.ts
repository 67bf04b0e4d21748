import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { leaves } from './helpers.js';
import { pbEncode } from '../../../fixtures/sdk/protobuf.js';

const URL = 'https://news.example.org/world/article-1';
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

describe('decoders, one encoding at a time', () => {
  it.each([
    // text codecs
    ['a form body', { data: `a=1&u=${encodeURIComponent(URL)}`, contentType: 'application/x-www-form-urlencoded' }, [['form:a', '1'], ['form:u', URL]]],
    ['double percent-encoding', { data: encodeURIComponent(encodeURIComponent(URL)) }, [['percent', URL]]],
    ['GBK percent-encoding (Baidu)', { data: 'wd=%CC%EC%B0%B2%C3%C5', contentType: 'application/x-www-form-urlencoded' }, [['form:wd', '天安门']]],
    ['JSON with escaped slashes and \\u escapes', { data: '{"u":"https:\\/\\/news.example.org\\/a","t":"\\u516d\\u56db"}' }, [['json:$.u', 'https://news.example.org/a'], ['json:$.t', '六四']]],
    ['JSON inside a JSON string', { data: JSON.stringify({ payload: JSON.stringify({ page: { url: URL } }) }) }, [['json:$.payload → json:$.page.url', URL]]],
    ['keys that need quoting in JSONPath', { data: JSON.stringify({ 'page url': URL, $url: URL }) }, [['json:$["page url"]', URL], ['json:$.$url', URL]]],
    ['standard base64', { data: JSON.stringify({ d: b64(URL) }) }, [['json:$.d → base64', URL]]],
    ['URL-safe unpadded base64', { data: JSON.stringify({ d: Buffer.from(`${URL}??>>`).toString('base64url') }) }, [['json:$.d → base64', `${URL}??>>`]]],
    ['MIME line-wrapped base64', { data: JSON.stringify({ d: b64(URL.repeat(3)).replace(/(.{20})/g, '$1\r\n') }) }, [['json:$.d → base64', URL.repeat(3)]]],
    ['hex of UTF-8 text', { data: JSON.stringify({ h: Buffer.from(URL).toString('hex') }) }, [['json:$.h → hex', URL]]],
    ['a JWT payload', { data: `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ url: URL })).toString('base64url')}.c2ln` }, [['jwt:header → json:$.alg', 'HS256'], ['jwt:payload → json:$.url', URL]]],
    ['a URL query inside a value', { data: JSON.stringify({ c: `https://ads.example.net/c?dest=${encodeURIComponent(URL)}` }) }, [['json:$.c', `https://ads.example.net/c?dest=${encodeURIComponent(URL)}`], ['json:$.c → query:dest', URL]]],
    // binary codecs
    ['a gzip body', { data: gzipSync(JSON.stringify({ u: URL })) }, [['gzip → json:$.u', URL]]],
    ['a zlib body', { data: deflateSync(JSON.stringify({ u: URL })) }, [['zlib → json:$.u', URL]]],
    ['a raw deflate body', { data: deflateRawSync(JSON.stringify({ u: URL })) }, [['deflate → json:$.u', URL]]],
    ['brotli inside base64', { data: JSON.stringify({ z: b64(brotliCompressSync(JSON.stringify({ u: URL }))) }) }, [['json:$.z → base64 → brotli → json:$.u', URL]]],
    ['gzip inside base64 inside JSON inside gzip', { data: gzipSync(JSON.stringify({ inner: b64(gzipSync(JSON.stringify({ u: URL }))) })) }, [['gzip → json:$.inner → base64 → gzip → json:$.u', URL]]],
    ['a declared Content-Encoding', { data: gzipSync(JSON.stringify({ u: URL })), contentEncoding: 'gzip' }, [['content-encoding:gzip → json:$.u', URL]]],
    ['a protobuf message with a nested message', { data: pbEncode([[1, 7], [2, [[1, 'view'], [3, URL]]]]) }, [['protobuf:2.1', 'view'], ['protobuf:2.3', URL]]],
    ['a framed gzip (8-byte header, Alibaba UT)', { data: Buffer.concat([Buffer.from([1, 0, 0, 40, 1, 0x29, 0, 0]), gzipSync(`\u0000\u0001page_view\u0001${URL}\u0001`)]) }, [['gzip:offset 8 → strings', 'page_view'], ['gzip:offset 8 → strings', URL]]],
  ] as const)('reads %s', (_name, input, expected) => {
    expect(leaves(input as never)).toEqual(expected);
  });

  it('repairs base64 whose + a client sent raw in a form (form decoding made it a space)', () => {
    const data = b64('{"u":"https://a.example/x>>>"}');
    expect(data).toContain('+');
    expect(leaves({ data: `d=${data}`, contentType: 'application/x-www-form-urlencoded' })).toEqual([['form:d → base64 → json:$.u', 'https://a.example/x>>>']]);
  });

  it('reads multipart/form-data parts by name', () => {
    const boundary = 'XyZ123';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="meta"\r\n\r\nv=1\r\n--${boundary}\r\nContent-Disposition: form-data; name="events"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify([{ url: URL }])}\r\n--${boundary}--\r\n`;
    expect(leaves({ data: Buffer.from(body), contentType: `multipart/form-data; boundary=${boundary}` })).toEqual([['multipart:meta → form:v', '1'], ['multipart:events → json:$[0].url', URL]]);
  });

  it.each([
    ['an MD5', createHash('md5').update(URL).digest('hex')],
    ['a SHA-256 in upper case', createHash('sha256').update(URL).digest('hex').toUpperCase()],
    ['a UUID', '0f8e3c2a-5b7d-4e1f-9a6c-123456789abc'],
    ['an identifier', 'page_load_event_finish'],
    ['a long word', 'internationalization'],
    ['a sentence', 'privacy test query'],
  ])('keeps %s as it is', (_name, value) => {
    expect(leaves({ data: JSON.stringify({ v: value }) })).toEqual([['json:$.v', value]]);
  });
});
