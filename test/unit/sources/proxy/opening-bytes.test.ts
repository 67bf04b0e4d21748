import { connect as netConnect, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { parseClientHello } from '../../../../appliance/src/sources/shared/client-hello.js';
import { readOpeningBytes } from '../../../../appliance/src/sources/proxy/opening-bytes.js';

const server = createServer();
const port = new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The first bytes a real TLS client (Node's) sends for `servername`. */
async function clientHello(servername: string): Promise<Buffer> {
  const p = await port;
  const hello = new Promise<Buffer>((resolve) => {
    server.once('connection', (socket: Socket) => socket.once('data', (chunk: Buffer) => {
      resolve(chunk);
      socket.destroy();
    }));
  });
  tlsConnect({ port: p, host: '127.0.0.1', servername }).on('error', () => undefined);
  return hello;
}

/** A server-side socket on loopback and the client writing into it. */
async function socketPair(): Promise<{ serverSide: Socket; client: Socket }> {
  const p = await port;
  const serverSide = new Promise<Socket>((resolve) => server.once('connection', resolve));
  const client = netConnect(p, '127.0.0.1');
  return { serverSide: await serverSide, client };
}

/** What the next reader of the stream gets. */
function nextChunk(stream: { once(event: 'data', cb: (chunk: Buffer) => void): unknown; resume(): unknown }): Promise<Buffer> {
  const chunk = new Promise<Buffer>((resolve) => stream.once('data', resolve));
  stream.resume();
  return chunk;
}

describe('readOpeningBytes', () => {
  it('waits for the whole ClientHello when its server name arrives in a later TCP segment, and puts every byte back', async () => {
    const hello = await clientHello('sa.api.intl.miui.com');
    const { serverSide, client } = await socketPair();
    // The second segment is sent only once the server has seen the first: a real split.
    serverSide.once('data', () => client.write(hello.subarray(10)));
    const reading = readOpeningBytes(serverSide);
    client.write(hello.subarray(0, 10));
    const opening = await reading;
    expect(opening?.equals(hello)).toBe(true);
    expect(parseClientHello(opening!)?.sni).toBe('sa.api.intl.miui.com');
    expect((await nextChunk(serverSide)).equals(hello)).toBe(true);
    client.destroy();
  });

  it('counts bytes already taken from the stream (a CONNECT head) and puts them back first', async () => {
    const hello = await clientHello('x.example');
    const stream = new PassThrough();
    const reading = readOpeningBytes(stream, hello.subarray(0, 3));
    stream.write(hello.subarray(3));
    expect((await reading)?.equals(hello)).toBe(true);
    expect((await nextChunk(stream)).equals(hello)).toBe(true);
  });

  it.each([
    ['plain HTTP', Buffer.from('GET / HTTP/1.1\r\n')],
    ['one byte of something else', Buffer.from([0x47])],
  ])('decides on the first chunk for %s', async (_name, bytes) => {
    const stream = new PassThrough();
    const reading = readOpeningBytes(stream);
    stream.write(bytes);
    expect((await reading)?.equals(bytes)).toBe(true);
  });

  it('gives up when the connection ends inside a TLS record', async () => {
    const stream = new PassThrough();
    const reading = readOpeningBytes(stream);
    stream.end(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01]));
    expect(await reading).toBeUndefined();
  });
});
