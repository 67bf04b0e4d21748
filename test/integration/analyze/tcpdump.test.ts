import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Flow } from '../../../appliance/src/model/index.js';
import { readFlows } from '../../../appliance/src/sources/import/index.js';
import type { ImportProblem } from '../../../appliance/src/sources/import/index.js';

/** tcpdump must be installed (CI installs it) and allowed to capture (CI runs as root). */
const canCapture = spawnSync('tcpdump', ['--version']).status === 0 && process.getuid?.() === 0;

function send(port: number, method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => res.resume().on('end', resolve));
    req.on('error', reject);
    req.end(body);
  });
}

describe('a capture written by real tcpdump on loopback', () => {
  it.skipIf(!canCapture)('reads back the requests made while it ran, bodies and responses included', async () => {
    const server = createServer((req, res) => {
      req.resume().on('end', () => res.writeHead(200, { 'Content-Type': req.url === '/page' ? 'text/html' : 'application/json' }).end('{"ok":true}'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const file = join(mkdtempSync(join(tmpdir(), 'lw-tcpdump-')), 'lo.pcap');
    const tcpdump = spawn('tcpdump', ['-i', 'lo', '--immediate-mode', '-U', '-s', '0', '-w', file, 'host', '127.0.0.1', 'and', 'tcp', 'port', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      tcpdump.stderr.on('data', (chunk: Buffer) => chunk.toString().includes('listening on') && resolve());
      tcpdump.on('exit', (code) => reject(new Error(`tcpdump exited with ${code}`)));
    });
    const body = gzipSync(Buffer.from('{"url":"http://visited.example/page"}'));
    try {
      await send(port, 'GET', '/page', { Host: `visited.example:${port}`, 'Sec-Fetch-Mode': 'navigate' });
      await send(port, 'POST', '/log?x=1', { 'Content-Encoding': 'gzip', 'Content-Type': 'application/json', 'Content-Length': String(body.length) }, body);
      // --immediate-mode and -U hand each packet to the file as it comes; give the last ones a moment.
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      const exited = new Promise((resolve) => tcpdump.once('exit', resolve));
      tcpdump.kill('SIGINT');
      await exited;
      server.close();
    }
    const flows: Flow[] = [];
    const problems: ImportProblem[] = [];
    for await (const flow of readFlows(file, { fileIndex: 0, onProblem: (p) => problems.push(p) })) flows.push(flow);
    expect(problems).toEqual([]);
    expect(flows.map((f) => [f.method, f.url, f.device, f.destination, f.response?.status])).toEqual([
      ['GET', `http://visited.example:${port}/page`, '127.0.0.1', { host: 'visited.example', ip: '127.0.0.1', port }, 200],
      ['POST', `http://127.0.0.1:${port}/log?x=1`, '127.0.0.1', { host: '127.0.0.1', ip: '127.0.0.1', port }, 200],
    ]);
    expect(Buffer.from(flows[1]!.body).equals(body)).toBe(true);
    expect(flows[0]!.time).toBeGreaterThan(Date.now() - 60_000);
  });
});

describe('the captures our test writer makes', () => {
  it.skipIf(spawnSync('tcpdump', ['--version']).status !== 0)('are read by real tcpdump as the HTTP we meant, in every format and link type', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lw-pcaps-'));
    const make = spawnSync(process.execPath, ['--import', 'tsx', 'test/fixtures/pcap/make-pcaps.ts', dir], { encoding: 'utf8' });
    expect(make.stderr).toBe('');
    for (const name of ['ethernet-le-us.pcap', 'ethernet-be-ns.pcap', 'ethernet-vlan.pcapng', 'sll.pcap', 'sll2-be-ns.pcapng', 'raw.pcap', 'null.pcap']) {
      const out = spawnSync('tcpdump', ['-r', join(dir, name), '-nn'], { encoding: 'utf8' }).stdout;
      expect([name, out]).toEqual([name, expect.stringContaining('HTTP: GET /world/2026/story?id=42 HTTP/1.1')]);
      expect(out).toContain('CNAME sa-sg.alicdn.example., A 10.99.0.5');
    }
  });
});
