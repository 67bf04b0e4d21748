import { parseHostHeader } from '../../proxy/host-header.js';

/** Where a request went and its URL, from the request target, the Host header and the connection. */
export interface RequestTarget {
  url: string;
  host: string;
}

/**
 * `http://host/path?query`, the host from the Host header (or the absolute-form target a proxy
 * client sends), else the name DNS gave the server's address, else the address itself. The port is
 * written when it is not 80.
 */
export function requestTarget(target: string, hostHeader: string | undefined, serverName: string, serverPort: number): RequestTarget {
  if (/^https?:\/\//i.test(target)) {
    try {
      const url = new URL(target);
      return { url: target, host: url.hostname.replace(/^\[|\]$/g, '').toLowerCase() };
    } catch {
      // Not a valid absolute URL: fall through and treat it like a path.
    }
  }
  const fromHeader = parseHostHeader(hostHeader);
  const host = fromHeader?.host ?? serverName;
  const port = fromHeader?.port ?? serverPort;
  const authority = (host.includes(':') ? `[${host}]` : host) + (port === 80 ? '' : `:${port}`);
  const path = target.startsWith('/') ? target : target === '*' ? '' : `/${target}`;
  return { url: `http://${authority}${path}`, host };
}
