import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { writePcapng } from '../../../../fixtures/pcap/capture-writer.js';
import { LINKTYPE } from '../../../../fixtures/pcap/packets.js';
import { TcpConversation, chunked, httpRequest, httpResponse } from '../../../../fixtures/pcap/tcp-conversation.js';
import type { IpAt } from '../../../../fixtures/pcap/tcp-conversation.js';
import { captureFile, framed, readCapture } from './capture-helpers.js';

const T0 = Date.parse('2026-11-01T10:00:00Z');
let port = 41000;

function conversation(serverPort = 80, time = T0): TcpConversation {
  return new TcpConversation({ client: '10.0.0.2', clientPort: port++, server: '10.0.0.1', serverPort }, time).handshake();
}

async function read(packets: IpAt[], options: { maxBodyBytes?: number } = {}) {
  return readCapture(captureFile(writePcapng(framed(packets, LINKTYPE.ethernet), { linkType: LINKTYPE.ethernet })), options);
}

const host = { Host: 'h.example' };

describe('HTTP/1.1 over reassembled TCP', () => {
  it('reads keep-alive requests one after another, each paired with its response', async () => {
    const c = conversation()
      .send('client', httpRequest('GET', '/page', { ...host, 'Sec-Fetch-Mode': 'navigate', Referer: 'http://r.example/' }))
      .send('server', httpResponse(200, { 'Content-Type': 'text/html', 'Content-Length': '5' }, 'hello'))
      .send('client', httpRequest('GET', '/old', host))
      .send('server', httpResponse(301, { Location: 'http://h.example/new', 'Content-Length': '0' }))
      .close();
    const { flows, problems } = await read(c.packets);
    expect(problems).toEqual([]);
    expect(flows.map((f) => [f.id, f.method, f.url, f.response])).toEqual([
      ['pcap:0:1', 'GET', 'http://h.example/page', { status: 200, mimeType: 'text/html' }],
      ['pcap:0:2', 'GET', 'http://h.example/old', { status: 301, location: 'http://h.example/new' }],
    ]);
    expect(flows[0]).toMatchObject({ source: 'pcap', httpVersion: 'HTTP/1.1', initiator: { secFetchMode: 'navigate', referer: 'http://r.example/' } });
  });

  it('pairs pipelined requests with responses in order, skipping bodies by length, chunks and HEAD/204/304 rules', async () => {
    const requests = ['HEAD', 'GET', 'GET', 'GET', 'GET'].map((m, i) => httpRequest(m, `/${i}`, host));
    const responses = [
      httpResponse(200, { 'Content-Length': '999', 'Content-Type': 'a/head' }), // HEAD: no body despite the length
      httpResponse(204, { 'Content-Type': 'a/204' }),
      httpResponse(304, { 'Content-Type': 'a/304' }),
      Buffer.concat([httpResponse(200, { 'Transfer-Encoding': 'chunked', 'Content-Type': 'a/chunked' }), chunked(Buffer.from('x'.repeat(100)), 3)]),
      httpResponse(200, { 'Content-Type': 'a/close' }, 'until the connection closes'),
    ];
    const c = conversation().send('client', Buffer.concat(requests), 3).send('server', Buffer.concat(responses), 4).close();
    const { flows, problems } = await read(c.packets);
    expect(problems).toEqual([]);
    expect(flows.map((f) => [f.url.slice(-2), f.response?.status, f.response?.mimeType])).toEqual([
      ['/0', 200, 'a/head'], ['/1', 204, 'a/204'], ['/2', 304, 'a/304'], ['/3', 200, 'a/chunked'], ['/4', 200, 'a/close'],
    ]);
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ])('keeps a %s-encoded request body raw, with its Content-Encoding, for the detector to decode', async (encoding, compress) => {
    const body = compress(Buffer.from('{"url":"http://news.example/a"}'));
    const c = conversation(8080)
      .send('client', httpRequest('POST', '/log', { ...host, 'Content-Encoding': encoding, 'Content-Length': String(body.length) }, body), 4)
      .send('server', httpResponse(200, { 'Content-Length': '0' }))
      .close();
    const { flows } = await read(c.packets);
    expect(flows).toHaveLength(1);
    expect(Buffer.from(flows[0]!.body).equals(body)).toBe(true);
    expect(flows[0]!.headers).toContainEqual({ name: 'Content-Encoding', value: encoding });
    expect(flows[0]!.url).toBe('http://h.example:8080/log');
  });

  it('joins a chunked request body, split across segments, dropping the chunk framing and trailers', async () => {
    const c = conversation()
      .send('client', Buffer.concat([httpRequest('POST', '/c', { ...host, 'Transfer-Encoding': 'chunked' }), chunked(Buffer.from('a'.repeat(50) + 'b'.repeat(50)), 7)]), 9)
      .send('server', httpResponse(100, {}))
      .send('server', httpResponse(200, { 'Content-Length': '0', 'Content-Type': 'text/plain' }))
      .close();
    const { flows, problems } = await read(c.packets);
    expect(problems).toEqual([]);
    expect([Buffer.from(flows[0]!.body).toString(), flows[0]!.response]).toEqual(['a'.repeat(50) + 'b'.repeat(50), { status: 200, mimeType: 'text/plain' }]);
  });

  it('cuts a body over the limit and flags it', async () => {
    const c = conversation().send('client', httpRequest('POST', '/big', { ...host, 'Content-Length': '1000' }, 'z'.repeat(1000)), 5).close();
    const { flows } = await read(c.packets, { maxBodyBytes: 100 });
    expect([flows[0]!.body.length, flows[0]!.bodyTruncated]).toEqual([100, true]);
  });

  it('emits a request the capture cut off mid-body, flagged truncated, with no response', async () => {
    const c = conversation().send('client', httpRequest('POST', '/cut', { ...host, 'Content-Length': '1000' }, 'z'.repeat(300)));
    const { flows } = await read(c.packets);
    expect(flows.map((f) => [f.body.length, f.bodyTruncated, f.response])).toEqual([[300, true, undefined]]);
  });

  it('hands flows over in request order, though responses finish them in another order', async () => {
    const slow = conversation(80, T0).send('client', httpRequest('GET', '/first', host));
    const fast = conversation(80, T0 + 100).send('client', httpRequest('GET', '/second', host)).send('server', httpResponse(200, { 'Content-Length': '0' }));
    slow.at(T0 + 500).send('server', httpResponse(200, { 'Content-Length': '0' }));
    const packets = [...slow.packets.slice(0, 4), ...fast.packets, ...slow.packets.slice(4)];
    expect((await read(packets)).flows.map((f) => f.url)).toEqual(['http://h.example/first', 'http://h.example/second']);
  });

  it('reads a connection whose start the capture missed, from the next request on', async () => {
    const c = conversation().send('client', httpRequest('GET', '/missed', host)).send('server', httpResponse(200, { 'Content-Length': '0' }))
      .send('client', httpRequest('GET', '/seen', host)).send('server', httpResponse(200, { 'Content-Length': '0' })).close();
    // Drop the handshake and the first exchange.
    const { flows, problems } = await read(c.packets.slice(5));
    expect([flows.map((f) => f.url), problems]).toEqual([['http://h.example/seen'], []]);
  });

  it.each([
    ['a bad request line', 'GET /x HTTP/1.1\r\nHost: h.example\r\n\r\nBREW /pot HTCPCP/1.0\r\n\r\n', /request is not valid HTTP\/1\.x: not a request line: "BREW \/pot HTCPCP\/1\.0"/],
    ['a bad header line', 'GET /x HTTP/1.1\r\nHost: h.example\r\n\r\nGET /y HTTP/1.1\r\nno colon here\r\n\r\n', /malformed header line "no colon here"/],
    ['a bad Content-Length', 'GET /x HTTP/1.1\r\nHost: h.example\r\n\r\nPOST /y HTTP/1.1\r\nContent-Length: 12, 13\r\n\r\n', /invalid Content-Length "12, 13"/],
    ['a bad chunk size', 'GET /x HTTP/1.1\r\nHost: h.example\r\n\r\nPOST /y HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /invalid chunk size "zz"/],
  ])('skips the rest of a connection at %s, with a warning naming it, keeping the requests before', async (_name, text, reason) => {
    const c = conversation(8000).send('client', text).close();
    const { flows, problems } = await read(c.packets);
    expect(flows.map((f) => f.url)[0]).toBe('http://h.example:8000/x');
    expect(problems).toEqual([{ file: expect.any(String), at: expect.stringMatching(/^connection 10\.0\.0\.2:\d+ → 10\.0\.0\.1:8000$/), reason: expect.stringMatching(reason) }]);
  });

  it('ignores connections that are neither HTTP nor TLS', async () => {
    const c = conversation(22).send('server', 'SSH-2.0-OpenSSH_9.2\r\n').send('client', 'SSH-2.0-client\r\n').close();
    expect(await read(c.packets)).toMatchObject({ flows: [], problems: [], tls: [] });
  });

  it('stops reading HTTP after a protocol switch (WebSocket)', async () => {
    const c = conversation()
      .send('client', httpRequest('GET', '/ws', { ...host, Upgrade: 'websocket', Connection: 'Upgrade' }))
      .send('server', httpResponse(101, { Upgrade: 'websocket' }))
      .send('client', Buffer.from([0x81, 0x85, 1, 2, 3, 4, 5, 6, 7, 8, 9]))
      .close();
    const { flows, problems } = await read(c.packets);
    expect([flows.map((f) => f.response?.status), problems]).toEqual([[101], []]);
  });
});
