import { createRequire } from 'node:module';
import type { Socket } from 'node:net';

/**
 * Where a connection was going before nftables redirected it to the proxy: the kernel keeps it on
 * the socket (SO_ORIGINAL_DST). Node has no API for it, so it is read with one getsockopt call
 * through koffi (prebuilt FFI, ~3 µs; STACK-NOTES) — not a process per connection.
 */
export interface OriginalDestination {
  ip: string;
  port: number;
}

const SOL_IP = 0;
const SOL_IPV6 = 41;
const SO_ORIGINAL_DST = 80;

type GetSockOpt = (fd: number, level: number, name: number, value: Buffer, length: number[]) => number;

let getsockopt: GetSockOpt | null | undefined;

function load(): GetSockOpt | null {
  if (getsockopt !== undefined) return getsockopt;
  try {
    const koffi = createRequire(import.meta.url)('koffi') as { load(name: string): { func(signature: string): GetSockOpt } };
    getsockopt = koffi.load('libc.so.6').func('int getsockopt(int fd, int level, int name, _Out_ uint8_t *value, _Inout_ uint32_t *length)');
  } catch {
    getsockopt = null;
  }
  return getsockopt;
}

/** Reads a `struct sockaddr_in` / `sockaddr_in6` (network byte order port and address). */
export function parseSockaddr(buf: Buffer): OriginalDestination | undefined {
  const family = buf.readUInt16LE(0);
  const port = buf.readUInt16BE(2);
  if (family === 2) return { ip: [...buf.subarray(4, 8)].join('.'), port };
  if (family === 10 && buf.length >= 24) {
    const words = Array.from({ length: 8 }, (_, i) => buf.readUInt16BE(8 + i * 2).toString(16));
    const ip = words.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
    const mapped = /^::ffff:([0-9a-f]+):([0-9a-f]+)$/.exec(ip);
    if (mapped) {
      const hi = parseInt(mapped[1]!, 16);
      const lo = parseInt(mapped[2]!, 16);
      return { ip: `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, port };
    }
    return { ip, port };
  }
  return undefined;
}

/** The original destination of a redirected connection, or undefined (not redirected, no FFI, not Linux). */
export function originalDestination(socket: Socket): OriginalDestination | undefined {
  const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
  const call = load();
  if (call === null || typeof fd !== 'number' || fd < 0) return undefined;
  const v6 = socket.remoteFamily === 'IPv6' && !(socket.remoteAddress ?? '').startsWith('::ffff:');
  const buf = Buffer.alloc(28);
  const length = [buf.length];
  if (call(fd, v6 ? SOL_IPV6 : SOL_IP, SO_ORIGINAL_DST, buf, length) !== 0) return undefined;
  return parseSockaddr(buf);
}
