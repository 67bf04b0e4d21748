import { createServer } from 'node:https';
import type { Server } from 'node:https';
import { createSecureContext } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import type { LeafCertificates } from '../sources/proxy/leaf-certs.js';
import { listenOn } from '../sources/proxy/sockets.js';

export interface HttpsOptions {
  host: string;
  port: number;
  leaves: LeafCertificates;
  /**
   * Domains the page may be opened by besides its address (names the hotspot's DNS gives the
   * appliance, and their subdomains: canary pages): a leaf is made for those; any other name gets
   * the address's certificate.
   */
  names: readonly string[];
}

/**
 * The same page and API over HTTPS, with a leaf from the appliance CA: once the phone trusts the
 * CA the page is a secure context (service worker, notifications, clipboard, home-screen install).
 * Requests go through the same fastify routes as plain HTTP; `req.protocol` is `https` for them.
 */
export async function listenHttps(app: FastifyInstance, options: HttpsOptions): Promise<Server> {
  // A browser opening https://10.42.0.1/ sends no SNI: the address's certificate is the default.
  const address = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  const fallback = await options.leaves.credentialsFor(address);
  const fallbackContext = createSecureContext(fallback);
  const names = new Set(options.names.map((n) => n.toLowerCase()));
  const server = createServer({
    ...fallback,
    minVersion: 'TLSv1.2',
    SNICallback: (name, done) => {
      const lower = name.toLowerCase();
      const known = [...names].some((n) => lower === n || lower.endsWith(`.${n}`));
      if (!known) return done(null, fallbackContext);
      options.leaves.contextFor(name).then((context) => done(null, context), (error: Error) => done(error));
    },
  }, (req, res) => app.routing(req, res));
  // A failed handshake (an untrusting browser) is the browser's business, not an error of ours.
  server.on('tlsClientError', (_error, socket) => socket.destroy());
  await listenOn(server, options.port, options.host);
  return server;
}
