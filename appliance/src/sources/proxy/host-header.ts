import type { Target } from './flow-recorder.js';

/** `example.com:8080`, `[2001:db8::1]:443`, `10.0.0.1` → name and port (when given). */
export function parseHostHeader(value: string | undefined): { host: string; port?: number } | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]/@]+))(?::(\d{1,5}))?$/.exec((value ?? '').trim());
  if (!m) return undefined;
  const host = (m[1] ?? m[2]!).toLowerCase();
  if (m[3] === undefined) return { host };
  const port = Number(m[3]);
  return port >= 1 && port <= 65535 ? { host, port } : undefined;
}

/**
 * Where a request on a connection goes when the connection alone did not name it (plain HTTP that
 * nftables redirected, TLS without SNI): the name from the Host header (or :authority). The Host
 * port counts only when the socket gave no original destination — then the port was a guess.
 */
export function targetWithHost(target: Target | undefined, hostHeader: string | undefined): Target | undefined {
  if (!target) return undefined;
  if (target.host) return target;
  const fromHeader = parseHostHeader(hostHeader);
  const host = fromHeader?.host || target.connectTo;
  if (!host) return undefined;
  const port = target.connectTo === undefined && fromHeader?.port !== undefined ? fromHeader.port : target.port;
  return { ...target, host, port };
}
