import { connect as connectTcp } from 'node:net';
import type { Server as NetServer, Socket } from 'node:net';

/** The device a connection comes from: its address, IPv4-mapped IPv6 written as IPv4. */
export function deviceOf(socket: Socket): string {
  return (socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
}

/** Identifies a client connection across the TLS socket that wraps the raw one. */
export function connectionKey(socket: { remoteAddress?: string | undefined; remotePort?: number | undefined }): string {
  return `${socket.remoteAddress}|${socket.remotePort}`;
}

/** Relays a connection untouched to where it was going (its buffered first bytes included). */
export function relay(socket: Socket, host: string, port: number, problem: (message: string) => void): void {
  const upstream = connectTcp(port, host);
  upstream.on('error', (error) => {
    problem(`passthrough to ${host}:${port}: ${error.message}`);
    socket.destroy();
  });
  socket.on('error', () => upstream.destroy());
  upstream.on('connect', () => {
    socket.pipe(upstream);
    upstream.pipe(socket);
    socket.resume();
  });
}

export function listenOn(server: NetServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}
