import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommand } from '../../../appliance/src/commands/start.js';
import { AlertStore, openDatabase } from '../../../appliance/src/store/index.js';
import { Mosquitto } from '../notify/mosquitto.js';
import { freePort } from '../../support/ports.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-start-'));
let broker: Mosquitto;

beforeAll(async () => {
  broker = await Mosquitto.create(join(dir, 'broker'));
  await broker.start();
});
afterAll(async () => broker?.stop());

function curl(args: string[]): Promise<string> {
  return new Promise((resolve) => execFile('curl', ['-sS', '--max-time', '10', '--noproxy', '', ...args], { env: { PATH: process.env.PATH } }, (_e, stdout) => resolve(stdout)));
}

describe('leakwatch start', () => {
  it('runs proxy → detector → store → MQTT: a leak through the proxy is printed, stored and published', async () => {
    const site = createServer((req, res) => {
      req.resume().on('end', () => {
        const html = (req.headers.accept ?? '').includes('text/html');
        res.writeHead(200, { 'content-type': html ? 'text/html' : 'application/json' }).end(html ? '<html>news</html>' : '{"code":0}');
      });
    });
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', () => r()));
    const sitePort = (site.address() as AddressInfo).port;
    const intel = join(dir, 'intel.json');
    writeFileSync(intel, JSON.stringify({ ranges: [{ cidr: '127.0.0.0/8', asn: 45102, org: 'Alibaba Cloud', country: 'SG' }] }));
    const config = join(dir, 'leakwatch.json');
    const proxyPort = 19100 + Math.floor(Math.random() * 800);
    writeFileSync(config, JSON.stringify({ dataDir: join(dir, 'data'), proxy: { port: proxyPort }, intel: { overlayFiles: [intel] }, mqtt: { url: broker.url, applianceId: 'test-pi' }, api: { port: proxyPort + 1, httpsPort: await freePort() } }));

    const subscriber = await mqtt.connectAsync(broker.url);
    const messages: string[] = [];
    subscriber.on('message', (_t, p) => messages.push(String(p)));
    await subscriber.subscribeAsync('leakwatch/test-pi/alert', { qos: 1 });

    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out: string[] = [];
    stdout.on('data', (c: Buffer) => out.push(String(c)));
    const listening = new Promise<void>((r) => stderr.on('data', (c: Buffer) => String(c).includes('proxy listening') && r()));
    const stop = new AbortController();
    const running = startCommand(['--config', config], { stdout, stderr }, stop.signal);
    await listening;

    const page = `http://localhost:${sitePort}/world/article-1`;
    await curl(['-x', `http://127.0.0.1:${proxyPort}`, '-H', 'Accept: text/html', page]);
    const data = gzipSync(JSON.stringify([{ event: 'page_load_event_finish', properties: { url: page } }])).toString('base64');
    await curl(['-x', `http://127.0.0.1:${proxyPort}`, '-A', 'Dalvik/2.1.0', '--data', `crc=1&gzip=1&data_list=${encodeURIComponent(data)}`, `http://127.0.0.1:${sitePort}/sa`]);

    for (let i = 0; i < 200 && messages.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    stop.abort();
    expect(await running).toBe(0);
    await subscriber.endAsync();
    site.close();

    expect(out.join('')).toMatch(new RegExp(`HIGH confirmed url ${page.replace(/[/.?]/g, '\\$&')} → 127\\.0\\.0\\.1 .*\\[china-linked\\]`));
    expect(messages.map((m) => (JSON.parse(m) as { data: { value: string } }).data.value)).toEqual([page]);
    const stored = new AlertStore(openDatabase(join(dir, 'data', 'leakwatch.db'))).list();
    expect(stored.map((a) => [a.data.value, a.destination.chinaLinked])).toEqual([[page, true]]);
  });
});
