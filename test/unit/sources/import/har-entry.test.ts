import { describe, expect, it } from 'vitest';
import { EntryProblem, entryToFlow } from '../../../../appliance/src/sources/import/har-entry.js';
import type { EntryContext } from '../../../../appliance/src/sources/import/har-entry.js';

const ctx: EntryContext = { file: '/captures/phone.har', fileIndex: 3, index: 17, device: undefined, maxBodyBytes: 8 * 1024 * 1024 };

/** A minimal valid entry; `request` fields are merged over the defaults. */
function entry(request: object = {}, extra: object = {}): Record<string, unknown> {
  return {
    startedDateTime: '2026-11-01T10:00:00.000Z',
    request: { method: 'POST', url: 'https://sa.api.intl.miui.com/sa?project=x', httpVersion: 'HTTP/1.1', headers: [], ...request },
    ...extra,
  };
}

const bodyOf = (raw: unknown, c: EntryContext = ctx) => [...entryToFlow(raw, c).body];

describe('entryToFlow', () => {
  it('maps a Chromium DevTools entry exactly as recorded, with its fetch metadata', () => {
    const chromium = {
      startedDateTime: '2026-11-01T10:00:00.123Z',
      _resourceType: 'document',
      serverIPAddress: '93.184.215.14',
      request: {
        method: 'GET',
        url: 'https://Example.org:8443/a%20b?q=%E4%B8%AD#frag',
        httpVersion: 'http/2.0',
        headers: [
          { name: ':authority', value: 'example.org:8443' },
          { name: 'sec-fetch-site', value: 'none' },
          { name: 'sec-fetch-mode', value: 'navigate' },
          { name: 'sec-fetch-dest', value: 'document' },
          { name: 'sec-fetch-user', value: '?1' },
          { name: 'user-agent', value: 'Mozilla/5.0 (Linux; Android 10) Mint' },
        ],
      },
      response: { status: 200, redirectURL: '', headers: [], content: { mimeType: 'text/html', text: '<p>never read</p>' } },
    };
    expect(entryToFlow(chromium, ctx)).toEqual({
      id: 'har:3:17',
      device: 'file:phone.har',
      time: Date.parse('2026-11-01T10:00:00.123Z'),
      method: 'GET',
      url: 'https://Example.org:8443/a%20b?q=%E4%B8%AD#frag',
      httpVersion: 'http/2.0',
      headers: chromium.request.headers,
      body: new Uint8Array(),
      destination: { host: 'example.org', port: 8443, ip: '93.184.215.14' },
      source: 'har',
      initiator: { secFetchSite: 'none', secFetchMode: 'navigate', secFetchDest: 'document', secFetchUser: '?1', userAgent: 'Mozilla/5.0 (Linux; Android 10) Mint', resourceType: 'document' },
      response: { status: 200, mimeType: 'text/html' },
    });
  });

  it('maps a mitmproxy entry (no fetch metadata, no resource type) with its body and client address', () => {
    const mitm = {
      startedDateTime: '2026-11-01T10:00:05+08:00',
      _clientAddress: '10.42.0.23',
      serverIPAddress: '[2406:da14::1]',
      request: {
        method: 'POST',
        url: 'http://sa.api.intl.miui.com/sa?project=global',
        httpVersion: 'HTTP/1.1',
        headers: [{ name: 'User-Agent', value: 'okhttp/3.12.1' }, { name: 'Content-Type', value: 'application/x-www-form-urlencoded' }],
        postData: { mimeType: 'application/x-www-form-urlencoded', text: 'data_list=H4sIAAAA&gzip=1' },
      },
      response: { status: 302, headers: [{ name: 'Location', value: '/next' }], content: { mimeType: '' } },
    };
    const flow = entryToFlow(mitm, ctx);
    expect({ ...flow, body: Buffer.from(flow.body).toString() }).toEqual({
      id: 'har:3:17',
      device: '10.42.0.23',
      time: Date.parse('2026-11-01T02:00:05Z'),
      method: 'POST',
      url: 'http://sa.api.intl.miui.com/sa?project=global',
      httpVersion: 'HTTP/1.1',
      headers: mitm.request.headers,
      body: 'data_list=H4sIAAAA&gzip=1',
      destination: { host: 'sa.api.intl.miui.com', port: 80, ip: '2406:da14::1' },
      source: 'har',
      initiator: { userAgent: 'okhttp/3.12.1' },
      response: { status: 302, location: '/next' },
    });
  });

  it.each([
    ['_clientAddress', { _clientAddress: '10.42.0.5' }, undefined, '10.42.0.5'],
    ['_clientIPAddress', { _clientIPAddress: '10.42.0.6' }, undefined, '10.42.0.6'],
    ['_client_ip', { _client_ip: '10.42.0.7' }, undefined, '10.42.0.7'],
    ['the device option when the entry names no client', {}, 'pixel', 'pixel'],
    ['the entry client over the device option', { _client_ip: '10.42.0.8' }, 'pixel', '10.42.0.8'],
    ['the file name when nothing else is known', { _clientAddress: '' }, undefined, 'file:phone.har'],
  ])('takes the device from %s', (_name, extra, device, expected) => {
    expect(entryToFlow(entry({}, extra), { ...ctx, device }).device).toBe(expected);
  });

  it.each([
    ['https without a port', 'https://a.example/x', undefined, { host: 'a.example', port: 443 }],
    ['http without a port', 'http://a.example/x', undefined, { host: 'a.example', port: 80 }],
    ['an explicit port', 'http://a.example:8080/x', '', { host: 'a.example', port: 8080 }],
    ['an IPv4 literal', 'http://47.88.1.2/x', '47.88.1.2', { host: '47.88.1.2', port: 80, ip: '47.88.1.2' }],
    ['an IPv6 literal and a bracketed server address', 'https://[2406:da14::1]:8443/x', '[2406:da14::1]', { host: '2406:da14::1', port: 8443, ip: '2406:da14::1' }],
  ])('reads the destination of %s', (_name, url, serverIPAddress, expected) => {
    const extra = serverIPAddress === undefined ? {} : { serverIPAddress };
    expect(entryToFlow(entry({ url }, extra), ctx).destination).toEqual(expected);
  });

  it.each([
    ['UTF-8 text', { mimeType: 'text/plain', text: 'ü€' }, [...Buffer.from('ü€')]],
    ['base64 text (encoding)', { mimeType: 'application/octet-stream', text: Buffer.from([1, 2, 255]).toString('base64'), encoding: 'base64' }, [1, 2, 255]],
    ['base64 text (_encoding)', { mimeType: 'application/octet-stream', text: Buffer.from([0x1f, 0x8b, 8]).toString('base64'), _encoding: 'base64' }, [0x1f, 0x8b, 8]],
    ['binary stored as Latin-1 characters', { mimeType: 'application/octet-stream', text: Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff]).toString('latin1') }, [0x1f, 0x8b, 0x08, 0x00, 0xff]],
    ['params only', { mimeType: 'application/x-www-form-urlencoded', params: [{ name: 'a b', value: 'c&d=é' }, { name: 'url', value: 'https://x.example/?q=1' }] }, [...Buffer.from('a%20b=c%26d%3D%C3%A9&url=https%3A%2F%2Fx.example%2F%3Fq%3D1')]],
    ['params beside an empty text', { mimeType: 'application/x-www-form-urlencoded', text: '', params: [{ name: 'k', value: 'v' }] }, [...Buffer.from('k=v')]],
    ['text beside params (text wins)', { mimeType: 'application/x-www-form-urlencoded', text: 'raw=1', params: [{ name: 'k', value: 'v' }] }, [...Buffer.from('raw=1')]],
    ['no postData text or params', { mimeType: 'text/plain' }, []],
  ])('reads a request body from %s', (_name, postData, bytes) => {
    expect(bodyOf(entry({ postData }))).toEqual(bytes);
  });

  it('adds postData.mimeType as Content-Type only when the request has none', () => {
    const without = entryToFlow(entry({ postData: { mimeType: 'application/json', text: '{}' } }), ctx);
    const withOwn = entryToFlow(entry({ headers: [{ name: 'content-type', value: 'text/plain' }], postData: { mimeType: 'application/json', text: '{}' } }), ctx);
    expect(without.headers).toEqual([{ name: 'Content-Type', value: 'application/json' }]);
    expect(withOwn.headers).toEqual([{ name: 'content-type', value: 'text/plain' }]);
  });

  it('says a params-only body is a form when nothing names its type', () => {
    expect(entryToFlow(entry({ postData: { params: [{ name: 'k', value: 'v' }] } }), ctx).headers).toEqual([{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }]);
  });

  it('cuts a body at maxBodyBytes into its own copy (the full body is not kept behind it) and flags it truncated', () => {
    const flow = entryToFlow(entry({ postData: { mimeType: 'text/plain', text: 'abcd'.repeat(64 * 1024) } }), { ...ctx, maxBodyBytes: 6 });
    expect({ body: Buffer.from(flow.body).toString(), truncated: flow.bodyTruncated, smallBacking: flow.body.buffer.byteLength < 'abcd'.length * 64 * 1024 }).toEqual({ body: 'abcdab', truncated: true, smallBacking: true });
    expect(entryToFlow(entry({ postData: { mimeType: 'text/plain', text: 'abcd' } }), { ...ctx, maxBodyBytes: 4 }).bodyTruncated).toBeUndefined();
  });

  it('keeps header values as recorded and drops headers without a name', () => {
    const headers = [{ name: 'X-A', value: ' spaced ' }, { name: 'X-N', value: 5 }, { value: 'nameless' }, { name: 'X-Null', value: null }];
    expect(entryToFlow(entry({ headers }), ctx).headers).toEqual([{ name: 'X-A', value: ' spaced ' }, { name: 'X-N', value: '5' }]);
  });

  it.each([
    ['a response without status (not seen)', { status: 0, content: { mimeType: 'text/html' } }, undefined],
    ['a redirect with redirectURL', { status: 301, redirectURL: 'https://b.example/', content: {} }, { status: 301, location: 'https://b.example/' }],
    ['a redirect with only a Location header', { status: 307, headers: [{ name: 'location', value: '/c' }], content: {} }, { status: 307, location: '/c' }],
    ['a mime type only in the Content-Type header', { status: 200, headers: [{ name: 'Content-Type', value: 'application/json' }] }, { status: 200, mimeType: 'application/json' }],
  ])('reads %s', (_name, response, expected) => {
    expect(entryToFlow(entry({}, { response }), ctx).response).toEqual(expected);
  });

  it.each([
    ['not an object', 'oops', 'is not an object'],
    ['an array', [1], 'is not an object'],
    ['no request', { startedDateTime: '2026-11-01T10:00:00Z' }, 'request.url is missing'],
    ['no url', entry({ url: undefined }), 'request.url is missing'],
    ['no method', entry({ method: undefined }), 'request.method is missing'],
    ['no startedDateTime', { request: entry().request }, 'startedDateTime undefined is not a date'],
    ['an invalid startedDateTime', entry({}, { startedDateTime: 'yesterday' }), 'startedDateTime "yesterday" is not a date'],
    ['a url that is not a URL', entry({ url: '/relative/path' }), 'request.url "/relative/path" is not a URL'],
  ])('refuses an entry with %s, saying why', (_name, raw, reason) => {
    expect(() => entryToFlow(raw, ctx)).toThrow(new EntryProblem(reason));
  });
});
