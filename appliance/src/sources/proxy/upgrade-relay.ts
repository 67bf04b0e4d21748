import type { IncomingMessage } from 'node:http';
import { connect as connectTcp } from 'node:net';
import type { Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { Target } from './flow-recorder.js';
import { originForm } from './flow-recorder.js';

/**
 * Relays a protocol upgrade (WebSocket) to the target: the request is replayed upstream as it
 * came, then bytes flow both ways untouched — the 101 response included. Frames are not
 * inspected yet; the upgrade request itself is recorded like any request, with the status and
 * address of the server's answer (`onAnswer`).
 */
export function relayUpgrade(req: IncomingMessage, client: Socket, head: Buffer, target: Target, ca: string[], onError: (message: string) => void, onAnswer: (status: number, serverIp: string | undefined) => void): void {
  const host = target.connectTo ?? target.host;
  const upstream =
    target.scheme === 'https'
      ? connectTls({ host, port: target.port, servername: target.host, ca, ALPNProtocols: ['http/1.1'] })
      : connectTcp({ host, port: target.port });
  const ready = target.scheme === 'https' ? 'secureConnect' : 'connect';
  upstream.once(ready, () => {
    const lines = [`${req.method} ${originForm(req.url ?? '/')} HTTP/1.1`];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) if (!/^proxy-/i.test(req.rawHeaders[i]!)) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length > 0) upstream.write(head);
    // The status line starts the first bytes back ("HTTP/1.1 101 Switching Protocols").
    upstream.once('data', (chunk: Buffer) => {
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(chunk.toString('latin1', 0, 16))?.[1];
      onAnswer(status ? Number(status) : 0, upstream.remoteAddress?.replace(/^::ffff:/, ''));
    });
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on('error', (error) => {
    onError(`upgrade to ${target.host}:${target.port}: ${error.message}`);
    client.destroy();
  });
  client.on('error', () => upstream.destroy());
  client.on('close', () => upstream.destroy());
}
