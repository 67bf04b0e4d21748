import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/** Ports handed out by this process: the kernel may pick the same free port twice in a row. */
const given = new Set<number>();

function pickOnce(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A loopback TCP port free right now (the kernel picks it), for a server a test starts next; never
 * one this process was given before (CI once got the same port for two of one leakwatch's listeners).
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await pickOnce();
    if (given.has(port)) continue;
    given.add(port);
    return port;
  }
}
