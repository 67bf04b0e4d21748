/**
 * A stand-in for the proxy, run inside the appliance namespace: listens on the given ports, reads
 * each connection's original destination (SO_ORIGINAL_DST, the proxy's own reader), answers a fixed
 * HTTP response and reports {"conn":{…}} on stdout. Proves the nftables redirect on its own,
 * whatever state the real proxy is in. {"ready":true} once every port listens.
 * Usage: node --import tsx test/lab/stand-in-proxy.ts PORT...
 */
import { createServer } from 'node:net';
import { originalDestination } from '../../appliance/src/sources/proxy/original-destination.js';

/** One connection the stand-in accepted; `original` equals the real destination when nothing redirected it. */
export interface StandInConnection {
  port: number;
  from: string;
  original?: { ip: string; port: number };
}

const say = (event: object) => process.stdout.write(`${JSON.stringify(event)}\n`);

await Promise.all(process.argv.slice(2).map((arg) => new Promise<void>((resolve) => {
  const port = Number(arg);
  const server = createServer((socket) => {
    const connection: StandInConnection = { port, from: socket.remoteAddress ?? '', original: originalDestination(socket) };
    say({ conn: connection });
    const body = `stand-in ${port}\n`;
    // Answer once the client has spoken (an HTTP request, or a TLS ClientHello it will then reject).
    socket.once('data', () => socket.end(`HTTP/1.1 200 OK\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`));
    socket.on('error', () => socket.destroy());
  });
  server.listen(port, '0.0.0.0', () => resolve());
})));
say({ ready: true });
