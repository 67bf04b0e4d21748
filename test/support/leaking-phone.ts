import { createServer, request } from 'node:http';
import type { IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { saAndroidBody, saEvent } from '../fixtures/sdk/sensors.js';

/**
 * A phone that browses through leakwatch's explicit proxy and whose browser then reports each
 * page to a Sensors Analytics endpoint (the Mi browser case), and the site that serves both. The
 * intel overlay `LOOPBACK_IS_ALIBABA` makes the loopback receiver china-linked.
 */
export const LOOPBACK_IS_ALIBABA = { ranges: [{ cidr: '127.0.0.0/8', asn: 45102, org: 'Alibaba Cloud', country: 'SG' }] };

export class TestSite {
  /** Telemetry requests the site holds unanswered while `holding`. */
  readonly held: ServerResponse[] = [];
  holding = false;

  private readonly server: Server = createServer((req, res) => {
    req.resume().on('end', () => {
      if (req.url?.startsWith('/sa') && this.holding) this.held.push(res);
      else answer(res, req.headers);
    });
  });

  static async start(): Promise<TestSite> {
    const site = new TestSite();
    site.server.keepAliveTimeout = 60_000;
    await new Promise<void>((r) => site.server.listen(0, '127.0.0.1', () => r()));
    return site;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  page(n: number): string {
    return `http://localhost:${this.port}/world/article-${n}`;
  }

  get telemetryUrl(): string {
    return `http://127.0.0.1:${this.port}/sa?project=global_browser_mini&r=SG`;
  }

  release(): void {
    for (const res of this.held.splice(0)) answer(res, {});
  }

  close(): void {
    this.server.close();
    this.server.closeAllConnections();
  }
}

function answer(res: ServerResponse, headers: IncomingHttpHeaders): void {
  const html = (headers.accept ?? '').includes('text/html');
  res.writeHead(200, { 'content-type': html ? 'text/html' : 'application/json' }).end(html ? '<html>news</html>' : '{"code":0}');
}

export interface Answer {
  status: number;
  body: string;
}

/** One request through the explicit proxy (absolute-form plain HTTP). */
export function viaProxy(proxyPort: number, url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: proxyPort, method: init.method ?? 'GET', path: url, headers: { host: new URL(url).host, ...init.headers } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += String(c)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** The page load, as a Chromium-based browser sends it. */
export function browse(proxyPort: number, url: string): Promise<Answer> {
  return viaProxy(proxyPort, url, { headers: { accept: 'text/html,application/xhtml+xml', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', 'sec-fetch-site': 'none', 'user-agent': 'Mozilla/5.0 (Linux; Android 10; Redmi Note 8) Chrome/120 Mobile Safari/537.36' } });
}

/** The browser's Sensors Analytics SDK reporting that page: the leak. */
export function reportPage(proxyPort: number, telemetryUrl: string, page: string): Promise<Answer> {
  const body = saAndroidBody([saEvent({ event: 'page_load_event_finish', properties: { url: page } }, Date.now())]);
  return viaProxy(proxyPort, telemetryUrl, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'Dalvik/2.1.0 (Linux; U; Android 10; Redmi Note 8 Build/QKQ1.200114.002)' } });
}
