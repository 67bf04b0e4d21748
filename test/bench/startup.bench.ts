/**
 * `npm run bench`: how long the built `leakwatch start` takes to be ready (from spawn to "proxy
 * listening", which it prints after READY), against a bare `node -e` that only starts and exits in
 * the same run (the floor: Node's own start-up), and what it holds idle — RSS and threads three
 * seconds after it is ready, no traffic, capture off. It runs as leakwatch.service runs it (V8's heap
 * flags on its ExecStart line). The first start of an appliance also makes its CA and
 * database: it is shown apart from the later starts on the same data dir.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../support/ports.js';
import { describeServiceCommand, serviceCommand } from './service-command.js';
import { procStatus, rssMb } from './proc-status.js';

const root = resolve(import.meta.dirname, '../..');
const RUNS = 3;

const service = serviceCommand();
const dataDir = mkdtempSync(join(tmpdir(), 'lw-bench-startup-'));

async function startOnce(): Promise<{ readyMs: number; rssMb: number; threads: number }> {
  const env = { ...process.env, ...service.env, LEAKWATCH_DATA_DIR: dataDir, LEAKWATCH_PROXY_PORT: String(await freePort()), LEAKWATCH_API_PORT: String(await freePort()), LEAKWATCH_API_HTTPS_PORT: String(await freePort()) };
  const started = performance.now();
  const child = spawn(process.execPath, [...service.nodeFlags, 'appliance/bin/leakwatch.js', 'start'], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const readyMs = await new Promise<number>((done, fail) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += String(chunk);
      if (stderr.includes('proxy listening')) done(performance.now() - started);
    });
    child.once('exit', (code) => fail(new Error(`leakwatch start exited with ${code}:\n${stderr}`)));
  });
  await new Promise((r) => setTimeout(r, 3000));
  const result = { readyMs, rssMb: rssMb(child.pid!), threads: procStatus(child.pid!, 'Threads') };
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return result;
}

function nodeAloneMs(): number {
  const started = performance.now();
  execFileSync(process.execPath, ['-e', '0']);
  return performance.now() - started;
}

const floor = Math.min(...Array.from({ length: RUNS }, nodeAloneMs));
const first = await startOnce();
const later: Awaited<ReturnType<typeof startOnce>>[] = [];
for (let i = 0; i < RUNS; i++) later.push(await startOnce());
rmSync(dataDir, { recursive: true, force: true });
const best = Math.min(...later.map((r) => r.readyMs));
process.stdout.write([
  `start-up benchmark — built leakwatch start (explicit mode, capture off), Node ${process.version}, ${describeServiceCommand(service)}`,
  `  node -e 0 (Node's own start-up)        best ${floor.toFixed(0).padStart(5)} ms`,
  `  first start (makes the CA, database)        ${first.readyMs.toFixed(0).padStart(5)} ms`,
  `  later starts → ready                   best ${best.toFixed(0).padStart(5)} ms   all: ${later.map((r) => r.readyMs.toFixed(0)).join(', ')} ms   (target ≤ 1500 ms)`,
  `  ratio to node -e 0: ${(best / floor).toFixed(1)}`,
  `  idle 3 s after ready: RSS ${[first, ...later].map((r) => r.rssMb.toFixed(0)).join(', ')} MB (target ≤ 110 MB), ${first.threads} threads`,
  '',
].join('\n'));
