/**
 * Capture memory benchmark (part of `npm run bench`; needs root): `leakwatch start` with live
 * capture on, run as leakwatch.service runs it, on a bridge that stands for the hotspot, with five
 * phones (network namespaces, each its own MAC and address) browsing plain HTTP to a server behind
 * the appliance. Its RSS idle with capture on, at the end of the traffic and holding the five
 * devices' state, against its own RSS with capture off in the same run (target: ≤ 130 MB with
 * capture on and 5 devices). Traffic stays on the bridge: the server's address is a local route of
 * this namespace, not an address of any interface (so capture takes it for the internet's).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LeakwatchProcess } from '../support/leakwatch-process.js';
import { freePort } from '../support/ports.js';
import { describeServiceCommand, serviceCommand } from './service-command.js';
import { apiSession } from './api-session.js';
import { rssMb } from './proc-status.js';

if (process.getuid?.() !== 0) {
  process.stdout.write('capture memory benchmark: skipped, it needs root (a bridge, five network namespaces and live capture)\n\n');
  process.exit(0);
}

const PHONES = 5;
const SECONDS = Number(process.env.LEAKWATCH_BENCH_SECONDS ?? 5) * 2;
const id = `lwm${process.pid % 10000}`;
const bridge = `${id}br`;
const SERVER = '10.79.0.5';
const SERVER_PORT = 8081;
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
const phone = (i: number) => `${id}-p${i}`;

function setUp(): void {
  ip('link', 'add', bridge, 'type', 'bridge');
  ip('addr', 'add', '10.214.0.1/24', 'dev', bridge);
  ip('link', 'set', bridge, 'up');
  ip('route', 'add', 'local', `${SERVER}/32`, 'dev', 'lo', 'table', 'local');
  for (let i = 1; i <= PHONES; i++) {
    const ns = phone(i);
    ip('netns', 'add', ns);
    ip('link', 'add', `${id}v${i}`, 'type', 'veth', 'peer', 'name', `${id}q${i}`);
    ip('link', 'set', `${id}q${i}`, 'netns', ns);
    ip('link', 'set', `${id}v${i}`, 'master', bridge);
    ip('link', 'set', `${id}v${i}`, 'up');
    ip('netns', 'exec', ns, 'ip', 'addr', 'add', `10.214.0.${10 + i}/24`, 'dev', `${id}q${i}`);
    ip('netns', 'exec', ns, 'ip', 'link', 'set', `${id}q${i}`, 'up');
    ip('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
    ip('netns', 'exec', ns, 'ip', 'route', 'add', '10.79.0.0/24', 'via', '10.214.0.1');
  }
}

function tearDown(): void {
  const quietly = (...args: string[]) => {
    try {
      ip(...args);
    } catch {
      // already gone
    }
  };
  quietly('route', 'del', 'local', `${SERVER}/32`, 'dev', 'lo', 'table', 'local');
  for (let i = 1; i <= PHONES; i++) quietly('netns', 'del', phone(i));
  quietly('link', 'del', bridge);
}

/** A phone browsing: sequential GETs of distinct pages and a small JSON report now and then, for `seconds`. */
const BROWSE = `
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
// node -e: the first argument after the script is argv[1].
const end = Date.now() + Number(process.argv[1]) * 1000;
let n = 0;
let answered = 0;
const one = () => new Promise((done) => {
  const report = n % 5 === 4;
  const req = http.request({ host: '${SERVER}', port: ${SERVER_PORT}, agent, method: report ? 'POST' : 'GET', path: report ? '/v1/events' : '/news/' + n, headers: report ? { 'content-type': 'application/json' } : {} }, (res) => { res.resume(); res.on('end', () => { answered++; done(); }); });
  req.on('error', done);
  req.end(report ? JSON.stringify({ event: 'screen_view', n, device: process.argv[2] }) : undefined);
  n++;
});
(async () => { while (Date.now() < end) { await one(); await new Promise((r) => setTimeout(r, 20)); } console.log(answered); process.exit(0); })();
`;

function browse(i: number, seconds: number): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn('ip', ['netns', 'exec', phone(i), process.execPath, '-e', BROWSE, String(seconds), `phone-${i}`], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += String(c)));
    child.on('exit', (code) => (code === 0 ? done(Number(out.trim())) : fail(new Error(`phone ${i} exited with ${code}`))));
  });
}

/** The burst: one phone downloads this much at a Pi Zero 2 W's Wi-Fi speed (tc shapes its port of the bridge). */
const BURST_BYTES = 24 * 1024 * 1024;
const WIFI_MBIT = 40;
const BURST = `
const http = require('node:http');
http.get({ host: '${SERVER}', port: ${SERVER_PORT}, path: '/big' }, (res) => { let n = 0; res.on('data', (c) => (n += c.length)); res.on('end', () => { console.log(n); process.exit(0); }); }).on('error', (e) => { console.error(e.message); process.exit(1); });
`;

function burst(): Promise<number> {
  ip('link', 'set', `${id}v1`, 'up');
  execFileSync('tc', ['qdisc', 'add', 'dev', `${id}v1`, 'root', 'tbf', 'rate', `${WIFI_MBIT}mbit`, 'burst', '32kbit', 'latency', '400ms']);
  return new Promise((done, fail) => {
    const child = spawn('ip', ['netns', 'exec', phone(1), process.execPath, '-e', BURST], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += String(c)));
    child.on('exit', (code) => {
      execFileSync('tc', ['qdisc', 'del', 'dev', `${id}v1`, 'root']);
      if (code === 0) done(Number(out.trim()));
      else fail(new Error(`the burst download exited with ${code}`));
    });
  });
}

const service = serviceCommand();
const big = Buffer.alloc(BURST_BYTES, 'x');
const site = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.url === '/big') res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(big);
    else res.writeHead(200, { 'content-type': 'text/html' }).end(`<html><title>${req.url}</title>${'<p>news</p>'.repeat(100)}</html>`);
  });
});
tearDown();
setUp();
await new Promise<void>((r) => site.listen(SERVER_PORT, SERVER, () => r()));
const dir = mkdtempSync(join(tmpdir(), 'lw-bench-capture-'));

let apiPort = 0;
async function start(capture: boolean, data: string): Promise<LeakwatchProcess> {
  apiPort = await freePort();
  return LeakwatchProcess.start([], {
    ...service.env,
    LEAKWATCH_DATA_DIR: join(dir, data), LEAKWATCH_PROXY_PORT: String(await freePort()), LEAKWATCH_API_PORT: String(apiPort), LEAKWATCH_API_HTTPS_PORT: String(await freePort()), LEAKWATCH_API_PASSWORD: 'bench',
    ...(capture ? { LEAKWATCH_CAPTURE_ENABLED: 'true', LEAKWATCH_CAPTURE_INTERFACE: bridge } : {}),
  }, service);
}

try {
  const off = await start(false, 'off');
  await new Promise((r) => setTimeout(r, 3000));
  const idleOff = rssMb(off.pid);
  await off.stop();

  const on = await start(true, 'on');
  await new Promise((r) => setTimeout(r, 3000));
  const idleOn = rssMb(on.pid);
  let peak = idleOn;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(on.pid))), 50);
  const requests = await Promise.all(Array.from({ length: PHONES }, (_, i) => browse(i + 1, SECONDS)));
  clearInterval(sampler);
  const busy = rssMb(on.pid);
  await new Promise((r) => setTimeout(r, 3000));
  const after = rssMb(on.pid);
  // What capture made of it: the phones' flows, by device, as the API lists them.
  const api = await apiSession(apiPort, 'bench');
  const listed = await api<{ flows: { device: string }[] }>('/api/flows?limit=500');
  const devices = new Set(listed.flows.map((f) => f.device)).size;
  type Counters = { packets: number; droppedPackets: number; bufferBytes: number };
  const browsed = (await api<{ capture: Counters }>('/api/system')).capture;
  const burstSampler = setInterval(() => (peak = Math.max(peak, rssMb(on.pid))), 50);
  const started = Date.now();
  const downloaded = await burst();
  const burstSeconds = (Date.now() - started) / 1000;
  clearInterval(burstSampler);
  const bursted = (await api<{ capture: Counters }>('/api/system')).capture;
  const afterBurst = rssMb(on.pid);
  await on.stop();

  process.stdout.write([
    `capture memory benchmark — live capture on a bridge with ${PHONES} phones browsing plain HTTP for ${SECONDS} s (${requests.reduce((a, b) => a + b, 0)} requests answered), Node ${process.version}, ${describeServiceCommand(service)}`,
    `  leakwatch RSS, capture off, idle:           ${idleOff.toFixed(0).padStart(4)} MB (the floor, same run)`,
    `  leakwatch RSS, capture on, idle:            ${idleOn.toFixed(0).padStart(4)} MB (+${(idleOn - idleOff).toFixed(0)} MB)`,
    `  capture made flows of ${devices} devices (in the last ${listed.flows.length} flows listed)`,
    `  capture on, ${PHONES} devices: at the end ${busy.toFixed(0)} MB, 3 s later ${after.toFixed(0)} MB (target ≤ 130 MB); ${(after / idleOff).toFixed(2)}× capture off`,
    `  kernel ring ${(browsed.bufferBytes / 1048576).toFixed(0)} MiB (capture.bufferBytes): browsing ${browsed.packets} packets, ${browsed.droppedPackets} dropped`,
    `  burst: one phone downloads ${(downloaded / 1048576).toFixed(0)} MB at ${WIFI_MBIT} Mbit/s in ${burstSeconds.toFixed(1)} s: ${bursted.packets - browsed.packets} packets, ${bursted.droppedPackets - browsed.droppedPackets} dropped; RSS after ${afterBurst.toFixed(0)} MB, peak of the whole run ${peak.toFixed(0)} MB`,
    '',
  ].join('\n'));
} finally {
  tearDown();
  site.close();
  rmSync(dir, { recursive: true, force: true });
}
