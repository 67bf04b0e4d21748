/**
 * Hostile-input benchmark (part of `npm run bench`): the peak memory of `leakwatch start`, run as
 * leakwatch.service runs it, while a phone throws at its proxy what a hostile or broken app could:
 * decompression bombs (gzip, brotli inside base64, zstd), oversized bodies, deeply nested JSON, a
 * huge query string, oversized headers, and raw garbage instead of HTTP — several at once. The floor
 * is a bare Node pass-through proxy with the same Node flags under the same set in the same run
 * (streaming hundreds of MB through Node's http leaves garbage buffers until a collection, whoever
 * does it); the target is a peak ≤ 200 MB. Afterwards an ordinary request must still go through.
 */
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { LeakwatchProcess } from '../support/leakwatch-process.js';
import { freePort } from '../support/ports.js';
import { BARE_PROXY } from './bare-proxy.js';
import { describeServiceCommand, serviceCommand } from './service-command.js';
import { zstdBomb } from '../fixtures/bombs.js';
import { procStatus } from './proc-status.js';

const MiB = 1024 * 1024;

const status = (pid: number, field: string) => procStatus(pid, field) / 1024;

const gzipMember = gzipSync(Buffer.alloc(64 * MiB));
const brotliBomb = brotliCompressSync(Buffer.alloc(256 * MiB), { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
const nested = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;

interface Hostile {
  name: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

const hostile: Hostile[] = [
  { name: 'gzip bomb, 1 GiB, as Content-Encoding', path: '/collect', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: Buffer.concat(Array.from({ length: 16 }, () => gzipMember)) },
  { name: 'gzip bomb, 1 GiB, undeclared', path: '/upload', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.concat(Array.from({ length: 16 }, () => gzipMember)) },
  { name: 'brotli bomb, 256 MiB, in base64 JSON', path: '/v1/events', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ z: brotliBomb.toString('base64') }) },
  { name: 'zstd bomb, 1 GiB', path: '/z', headers: { 'content-type': 'application/octet-stream' }, body: zstdBomb(8192) },
  { name: '64 MiB body of base64 text', path: '/bulk', headers: { 'content-type': 'text/plain' }, body: randomBytes(48 * MiB).toString('base64') },
  { name: 'JSON nested 100,000 deep', path: '/deep', headers: { 'content-type': 'application/json' }, body: nested },
  { name: '60 KB query string', path: `/p.gif?d=${randomBytes(45_000).toString('base64url')}` },
  { name: 'oversized headers', path: '/h', headers: Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`x-h${i}`, 'v'.repeat(200)])) },
];

const upstream = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.end('ok'));
});
await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
const upstreamPort = (upstream.address() as AddressInfo).port;

const service = serviceCommand();

/** RSS (MB) of a process: idle, at its peak during the set, and 2 s after; per-request outcomes; an ordinary request after. */
interface Run { idle: number; peak: number; after: number; seconds: number; outcomes: Map<string, Set<string>>; ordinary: string }

async function throwAt(pid: number, proxyPort: number): Promise<Run> {
  await new Promise((r) => setTimeout(r, 3000));
  const idle = status(pid, 'VmRSS');
  const idlePeak = status(pid, 'VmHWM');
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const send = (h: Hostile) => new Promise<string>((done) => {
    const req = request({ host: '127.0.0.1', port: proxyPort, agent, method: h.body === undefined ? 'GET' : 'POST', path: `http://127.0.0.1:${upstreamPort}${h.path}`, headers: h.headers ?? {} }, (res) => {
      res.resume();
      res.on('end', () => done(String(res.statusCode)));
    });
    req.on('error', (e) => done((e as NodeJS.ErrnoException).code ?? e.message));
    req.end(h.body);
  });
  /** Raw garbage instead of HTTP on `count` connections at once. */
  const garbage = (count: number) => Promise.all(Array.from({ length: count }, () => new Promise<void>((done) => {
    const socket = connect(proxyPort, '127.0.0.1', () => socket.end(randomBytes(4096)));
    socket.on('error', () => done());
    socket.on('close', () => done());
    socket.resume();
  })));
  let peakDuring = 0;
  const sampler = setInterval(() => (peakDuring = Math.max(peakDuring, status(pid, 'VmRSS'))), 20);
  const started = performance.now();
  // Twice over, three of each at once, with garbage connections alongside.
  const outcomes = new Map<string, Set<string>>();
  for (let round = 0; round < 2; round++) {
    await Promise.all([
      ...hostile.flatMap((h) => Array.from({ length: 3 }, () => send(h).then((o) => outcomes.set(h.name, (outcomes.get(h.name) ?? new Set()).add(o))))),
      garbage(200),
    ]);
  }
  const seconds = (performance.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 2000));
  clearInterval(sampler);
  // The kernel's high-water mark catches what the 20 ms samples miss, once it passed the start-up's.
  const highWater = status(pid, 'VmHWM');
  const peak = highWater > idlePeak ? highWater : peakDuring;
  const after = status(pid, 'VmRSS');
  const ordinary = await send({ name: 'ordinary', path: '/after' });
  agent.destroy();
  return { idle, peak, after, seconds, outcomes, ordinary };
}

// The floor: a bare Node pass-through proxy, same Node flags, same set.
const barePort = await freePort();
const bare = spawn(process.execPath, [...service.nodeFlags, '--input-type=module', '-e', BARE_PROXY, String(barePort)], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise<void>((done) => bare.stdout.on('data', (c: Buffer) => String(c).includes('ready') && done()));
const floor = await throwAt(bare.pid!, barePort);
bare.kill('SIGTERM');

const dir = mkdtempSync(join(tmpdir(), 'lw-bench-hostile-'));
const proxyPort = await freePort();
const leakwatch = await LeakwatchProcess.start([], {
  ...service.env,
  LEAKWATCH_DATA_DIR: dir, LEAKWATCH_PROXY_PORT: String(proxyPort), LEAKWATCH_API_PORT: String(await freePort()), LEAKWATCH_API_HTTPS_PORT: String(await freePort()),
}, service);
const run = await throwAt(leakwatch.pid, proxyPort);
await leakwatch.stop();
upstream.close();
rmSync(dir, { recursive: true, force: true });

const rss = (r: Run) => `idle ${r.idle.toFixed(0)} MB, peak ${r.peak.toFixed(0)} MB (+${(r.peak - r.idle).toFixed(0)}), ${r.after.toFixed(0)} MB 2 s after; the set took ${r.seconds.toFixed(1)} s; an ordinary request afterwards: ${r.ordinary}`;
process.stdout.write([
  `hostile-input benchmark — explicit proxy on loopback, Node ${process.version}, ${describeServiceCommand(service)}; each ×6, three at once, with 400 connections of raw garbage instead of HTTP`,
  ...hostile.map((h) => `  ${h.name.padEnd(40)} leakwatch → ${[...(run.outcomes.get(h.name) ?? [])].join(', ')}`),
  `  bare Node proxy (the floor):  ${rss(floor)}`,
  `  leakwatch:                    ${rss(run)}`,
  `  leakwatch's peak ${run.peak.toFixed(0)} MB (target ≤ 200 MB); its rise over idle ${((run.peak - run.idle) / Math.max(1, floor.peak - floor.idle)).toFixed(2)}× the bare proxy's`,
  '',
].join('\n'));
if (run.ordinary !== '200') process.exitCode = 1;
