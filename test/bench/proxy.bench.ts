/**
 * Proxy benchmark (part of `npm run bench`): requests/s and MB/s through leakwatch's proxy vs
 * directly, added latency p50/p99, and the proxy's RSS holding 1,000 idle keep-alive connections —
 * all on loopback, in one run; mitmproxy's mitmdump joins when it is installed.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BARE_PROXY } from './bare-proxy.js';
import { describeServiceCommand, serviceCommand } from './service-command.js';
import { apiSession } from './api-session.js';
import { rssMb } from './proc-status.js';

const root = resolve(import.meta.dirname, '../..');
const seconds = Number(process.env.LEAKWATCH_BENCH_SECONDS ?? 5);
const concurrency = 32;
/** Alternating rounds of leakwatch and the bare proxy. */
const ROUNDS = 3;
const body = Buffer.alloc(16 * 1024, 'x');

interface Result {
  rps: number;
  mbps: number;
  p50: number;
  p99: number;
}

async function load(target: { host: string; port: number; proxied: boolean }, upstreamPort: number): Promise<Result> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let bytes = 0;
  const end = Date.now() + seconds * 1000;
  const one = () => new Promise<void>((done, fail) => {
    const started = process.hrtime.bigint();
    const path = target.proxied ? `http://127.0.0.1:${upstreamPort}/item` : '/item';
    request({ host: target.host, port: target.port, path, agent }, (res) => {
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => {
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
        done();
      });
    }).on('error', fail).end();
  });
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (Date.now() < end) await one();
  }));
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / seconds, mbps: bytes / seconds / 1048576, p50: latencies[Math.floor(latencies.length * 0.5)]!, p99: latencies[Math.floor(latencies.length * 0.99)]! };
}

async function idleConnections(port: number, upstreamPort: number, count: number): Promise<Agent> {
  const agent = new Agent({ keepAlive: true, maxSockets: count, maxFreeSockets: count });
  await Promise.all(Array.from({ length: count }, () => new Promise<void>((done, fail) => {
    request({ host: '127.0.0.1', port, path: `http://127.0.0.1:${upstreamPort}/item`, agent }, (res) => res.resume().on('end', () => done())).on('error', fail).end();
  })));
  return agent;
}

/** CPU time (user + system, ms) of a process and of its main thread, from /proc. */
function threadCpuMs(pid: number): { process: number; main: number } {
  const ticks = (path: string) => {
    const fields = readFileSync(path, 'utf8').replace(/^.*\) /s, '').split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  };
  return { process: ticks(`/proc/${pid}/stat`), main: ticks(`/proc/${pid}/task/${pid}/stat`) };
}


function startProcess(cmd: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<ChildProcess> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`${cmd} did not start within 30 s`));
    }, 30_000);
    const check = (chunk: Buffer) => {
      if (!ready.test(String(chunk))) return;
      clearTimeout(timer);
      done(child);
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', (code) => fail(new Error(`${cmd} exited with ${code}`)));
  });
}

const upstream = createServer((req, res) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body));
upstream.keepAliveTimeout = 60_000;
await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
const upstreamPort = (upstream.address() as AddressInfo).port;

const direct = await load({ host: '127.0.0.1', port: upstreamPort, proxied: false }, upstreamPort);
const proxyPort = 18900 + Math.floor(Math.random() * 90);
const apiPort = proxyPort + 100;
const dataDir = mkdtempSync(join(tmpdir(), 'lw-bench-'));
// Both Node proxies run with the service's V8 flags, as the Pi runs leakwatch.
const service = serviceCommand();
const leakwatch = await startProcess(process.execPath, [...service.nodeFlags, 'appliance/bin/leakwatch.js', 'start'], {
  ...service.env,
  LEAKWATCH_DATA_DIR: dataDir, LEAKWATCH_PROXY_PORT: String(proxyPort), LEAKWATCH_API_PORT: String(apiPort), LEAKWATCH_API_HTTPS_PORT: String(apiPort + 1), LEAKWATCH_API_PASSWORD: 'bench',
  // One loopback client holds the 1,000 idle connections here; a phone gets the default 512.
  LEAKWATCH_PROXY_MAX_CONNECTIONS_PER_CLIENT: '2000',
}, /proxy listening/);
// The ceiling for any proxy written on Node's http module on this machine: a bare pass-through.
const bareChild = await startProcess(process.execPath, [...service.nodeFlags, '--input-type=module', '-e', BARE_PROXY, String(proxyPort + 2)], {}, /ready/);

/** One timed load through a proxy process, with its CPU per request (whole process and main thread, µs). */
async function measured(child: ChildProcess, port: number): Promise<Result & { cpuUs: number; mainCpuUs: number }> {
  const before = threadCpuMs(child.pid!);
  const result = await load({ host: '127.0.0.1', port, proxied: true }, upstreamPort);
  const after = threadCpuMs(child.pid!);
  const requests = result.rps * seconds;
  return { ...result, cpuUs: ((after.process - before.process) * 1000) / requests, mainCpuUs: ((after.main - before.main) * 1000) / requests };
}

// Rounds alternate leakwatch and the bare proxy, so a disturbance of the machine (the load
// generator shares its two cores) falls on both; each is reported by its median round.
const leakwatchRounds: Awaited<ReturnType<typeof measured>>[] = [];
const bareRounds: Awaited<ReturnType<typeof measured>>[] = [];
for (let round = 0; round < ROUNDS; round++) {
  if (round % 2 === 0) {
    leakwatchRounds.push(await measured(leakwatch, proxyPort));
    bareRounds.push(await measured(bareChild, proxyPort + 2));
  } else {
    bareRounds.push(await measured(bareChild, proxyPort + 2));
    leakwatchRounds.push(await measured(leakwatch, proxyPort));
  }
}
bareChild.kill('SIGTERM');
const median = <T extends { cpuUs: number }>(rounds: T[]): T => [...rounds].sort((a, b) => a.cpuUs - b.cpuUs)[Math.floor(rounds.length / 2)]!;
const proxied = median(leakwatchRounds);
const bare = median(bareRounds);
const leakwatchUsPerRequest = { process: proxied.cpuUs, main: median(leakwatchRounds.map((r) => ({ ...r, cpuUs: r.mainCpuUs }))).cpuUs };
const bareUsPerRequest = bare.cpuUs;
const roundRatios = leakwatchRounds.map((r, i) => (r.cpuUs / bareRounds[i]!.cpuUs).toFixed(2)).join(', ');
// What the inspection thread spent per flow, stage by stage, as leakwatch measures itself.
const stages = (await (await apiSession(apiPort, 'bench'))<{ pipeline: { flows: number; detectMsPerFlow: number; storeMsPerFlow: number } }>('/api/system')).pipeline;
const rssBefore = rssMb(leakwatch.pid!);
const idle = await idleConnections(proxyPort, upstreamPort, 1000);
const rssIdle = rssMb(leakwatch.pid!);
idle.destroy();
leakwatch.kill('SIGTERM');

let mitm: Result | undefined;
let mitmUsPerRequest: number | undefined;
const hasMitm = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v mitmdump'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (hasMitm) {
  const mitmPort = proxyPort + 1;
  const child = await startProcess('mitmdump', ['--flow-detail', '0', '--listen-host', '127.0.0.1', '-p', String(mitmPort)], {}, /listening/i).catch(() => undefined);
  if (child) {
    const before = threadCpuMs(child.pid!).process;
    mitm = await load({ host: '127.0.0.1', port: mitmPort, proxied: true }, upstreamPort);
    mitmUsPerRequest = ((threadCpuMs(child.pid!).process - before) * 1000) / (mitm.rps * seconds);
    child.kill('SIGTERM');
  }
}
upstream.close();
upstream.closeAllConnections();

const row = (name: string, r: Result) => `  ${name.padEnd(22)} ${r.rps.toFixed(0).padStart(7)} req/s ${r.mbps.toFixed(1).padStart(7)} MB/s   p50 ${r.p50.toFixed(2)} ms   p99 ${r.p99.toFixed(2)} ms`;
process.stdout.write([
  `proxy benchmark — loopback, plain HTTP, 16 KiB responses, ${concurrency} keep-alive clients, ${seconds} s each, Node ${process.version}, ${describeServiceCommand(service)} (the bare proxy: the same flags)`,
  row('direct', direct),
  row('through bare Node proxy', bare),
  row('through leakwatch', proxied),
  `  (leakwatch and the bare proxy: the median of ${ROUNDS} alternating rounds by CPU per request; leakwatch / bare proxy per round: ${roundRatios})`,
  ...(mitm ? [row('through mitmproxy', mitm)] : ['  mitmproxy: not installed (apt-get install mitmproxy to compare)']),
  `  leakwatch / direct: ${((proxied.rps / direct.rps) * 100).toFixed(0)} % of requests/s (target ≥ 60 %); added latency p50 ${(proxied.p50 - direct.p50).toFixed(2)} ms, p99 ${(proxied.p99 - direct.p99).toFixed(2)} ms`,
  `  bare Node pass-through proxy / direct: ${((bare.rps / direct.rps) * 100).toFixed(0)} % (the ceiling for a proxy on Node's http module here); leakwatch / bare proxy: ${((proxied.rps / bare.rps) * 100).toFixed(0)} %`,
  `  CPU per request: leakwatch ${leakwatchUsPerRequest.process.toFixed(0)} µs (proxy thread ${leakwatchUsPerRequest.main.toFixed(0)} µs, the rest on the inspection thread), bare proxy ${bareUsPerRequest.toFixed(0)} µs${mitmUsPerRequest === undefined ? '' : `, mitmproxy ${mitmUsPerRequest.toFixed(0)} µs`}; leakwatch / bare proxy ${(leakwatchUsPerRequest.process / bareUsPerRequest).toFixed(2)} (target ≤ 1.25), proxy thread ${(leakwatchUsPerRequest.main / bareUsPerRequest).toFixed(2)} (target ≤ 1.1)`,
  `  where leakwatch's CPU per request goes: proxy thread ${leakwatchUsPerRequest.main.toFixed(0)} µs, the other threads ${(leakwatchUsPerRequest.process - leakwatchUsPerRequest.main).toFixed(0)} µs (the inspection thread timed ${stages.flows} flows at detect ${(stages.detectMsPerFlow * 1000).toFixed(0)} µs and store ${(stages.storeMsPerFlow * 1000).toFixed(0)} µs per flow, wall time on a nice-10 thread that waits for the CPU behind everything else here)`,
  ...(mitm ? [`  leakwatch / mitmproxy: ${(proxied.rps / mitm.rps).toFixed(1)}× the requests/s (target ≥ 5); added p50 latency ${(proxied.p50 - direct.p50).toFixed(2)} ms vs ${(mitm.p50 - direct.p50).toFixed(2)} ms, ratio ${((proxied.p50 - direct.p50) / (mitm.p50 - direct.p50)).toFixed(2)} (target ≤ 0.2)`] : []),
  `  leakwatch RSS: ${rssBefore.toFixed(0)} MB after the load, ${rssIdle.toFixed(0)} MB holding 1,000 idle keep-alive connections (target ≤ 160 MB)`,
  '',
].join('\n'));
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
