import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A loopback TCP port free right now (the kernel picks it), for a server a test starts next. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
