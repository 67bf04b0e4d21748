/**
 * The floor for the proxy benches: a bare pass-through HTTP proxy on Node's http module, a dozen
 * lines, run as `node --input-type=module -e BARE_PROXY PORT`; it prints "ready" once listening.
 * Whatever a proxy written on Node's http costs, it costs at least this.
 */
export const BARE_PROXY = `
import http from 'node:http';
const agent = new http.Agent({ keepAlive: true });
http.createServer((req, res) => {
  const u = new URL(req.url);
  const up = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: req.method, headers: req.headers, agent }, (r) => {
    res.writeHead(r.statusCode, r.headers);
    r.pipe(res);
  });
  up.on('error', () => res.destroy());
  req.pipe(up);
}).listen(Number(process.argv[1]), '127.0.0.1', () => console.log('ready'));
`;
