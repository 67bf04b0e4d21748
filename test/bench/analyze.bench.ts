/**
 * `npm run bench`: leakwatch analyze throughput on generated HARs of tens of MB — mostly page loads
 * and responses; telemetry-heavy; app telemetry alone (what the decoder works hardest on); and
 * request-heavy (tens of thousands of small app requests, no response bodies) — as a
 * ratio to JSON.parse of the same file in the same run, and the peak RSS of each. Both run as fresh
 * child processes of the same Node, so start-up and GC costs are alike; each is run 3 times and the
 * best time is kept (the least disturbed by other load on the machine). Then the decode cost per
 * app request (p50/p99) on the telemetry HAR, against JSON.parse of the same request bodies.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { writeBenchHar, writeRequestHeavyHar, writeTelemetryHar } from '../fixtures/bench-har.js';
import { ANALYZE_SCRIPT, bestOf, nodeScript, runs } from './child-runs.js';
import type { Measurement } from './child-runs.js';

const root = resolve(import.meta.dirname, '../..');
const workDir = join(root, '.bench');
const targetMb = Number(process.env.LEAKWATCH_BENCH_MB ?? 40);


const baselineScript = `
const { readFileSync } = require('node:fs');
const t = process.hrtime.bigint();
const har = JSON.parse(readFileSync(process.argv[1], 'utf8'));
const seconds = Number(process.hrtime.bigint() - t) / 1e9;
process.stdout.write(JSON.stringify({ seconds, entries: har.log.entries.length, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
`;



/** Decode time of each app request of argv[1] (in-process, warm), and JSON.parse of its body as the floor. */
const PER_REQUEST_SCRIPT = `
const { pathToFileURL } = require('node:url');
(async () => {
  const dist = process.argv[2];
  const { readFlows } = await import(pathToFileURL(dist + '/sources/import/index.js'));
  const { flowRole } = await import(pathToFileURL(dist + '/detect/roles.js'));
  const { decodeRequest } = await import(pathToFileURL(dist + '/detect/request-leaves.js'));
  const flows = [];
  for await (const flow of readFlows(process.argv[1], { fileIndex: 0 })) if (flowRole(flow) === 'app' && flow.body.length > 0) flows.push(flow);
  const decode = [], parse = [];
  for (let round = 0; round < 3; round++) {
    for (const flow of flows) {
      let t = process.hrtime.bigint();
      decodeRequest(flow, 8 << 20, {});
      const d = Number(process.hrtime.bigint() - t) / 1e3;
      const text = Buffer.from(flow.body).toString('utf8');
      t = process.hrtime.bigint();
      try { JSON.parse(text); } catch { JSON.parse(JSON.stringify(text)); }
      const p = Number(process.hrtime.bigint() - t) / 1e3;
      if (round === 2) { decode.push(d); parse.push(p); }
    }
  }
  const q = (list, f) => { const s = [...list].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(f * s.length))]; };
  process.stdout.write(JSON.stringify({ seconds: 0, requests: flows.length, decodeP50: q(decode, 0.5), decodeP99: q(decode, 0.99), parseP50: q(parse, 0.5), parseP99: q(parse, 0.99) }));
})();
`;

interface PerRequest {
  requests: number;
  decodeP50: number;
  decodeP99: number;
  parseP50: number;
  parseP99: number;
}

/**
 * The generated HAR, made again whenever its generator changed: the name carries a digest of the
 * generator's source. (A HAR kept from an earlier generator once made a figure that later runs on
 * the committed generator could not reproduce: telemetry-heavy 2.95× then, 8.1× from a fresh file.)
 */
async function ensureHar(name: string, write: (path: string, bytes: number, seed: number) => Promise<unknown>, seed: number): Promise<string> {
  const generator = createHash('sha256').update(readFileSync(join(root, 'test/fixtures/bench-har.ts'))).digest('hex').slice(0, 10);
  const har = join(workDir, `${name}-${targetMb}mb-${generator}.har`);
  for (const old of readdirSync(workDir)) if (old.startsWith(`${name}-${targetMb}mb`) && old !== basename(har)) rmSync(join(workDir, old));
  if (!existsSync(har)) {
    process.stderr.write(`generating ${targetMb} MB ${name} HAR at ${har} …\n`);
    await write(har, targetMb * 1024 * 1024, seed);
  }
  return har;
}

function measure(title: string, har: string, dist: string): string[] {
  const mb = statSync(har).size / 1048576;
  const baseline = bestOf(() => nodeScript(baselineScript, [har]));
  const analyze = bestOf(() => nodeScript(ANALYZE_SCRIPT, [har, dist]));
  const ratio = analyze.seconds / baseline.seconds;
  const row = (name: string, m: Measurement) =>
    `  ${name.padEnd(28)} ${m.seconds.toFixed(3).padStart(7)} s  ${(mb / m.seconds).toFixed(1).padStart(7)} MB/s  peak RSS ${(m.peakRssMb ?? 0).toFixed(0).padStart(5)} MB`;
  return [
    `analyze benchmark, ${title} — ${mb.toFixed(1)} MB HAR, ${baseline.entries} entries, Node ${process.version}, best of ${runs}`,
    row('JSON.parse (read + parse)', baseline),
    row('leakwatch analyze', analyze),
    `  ratio analyze / JSON.parse: ${ratio.toFixed(2)}${title.includes("no target") ? "" : " (target ≤ 3.00)"}; alerts found: ${analyze.alerts}`,
    '',
  ];
}

async function main(): Promise<void> {
  const dist = join(root, 'dist/appliance/src');
  if (!existsSync(join(dist, 'cli.js'))) throw new Error('leakwatch is not built: run `npm run build` first');
  mkdirSync(workDir, { recursive: true });
  const pages = await ensureHar('bench', writeBenchHar, 1);
  const telemetry = await ensureHar('telemetry', writeTelemetryHar, 2);
  const appOnly = await ensureHar('app-only', (path, bytes, seed) => writeTelemetryHar(path, bytes, seed, true), 3);
  const requestHeavy = await ensureHar('request-heavy', writeRequestHeavyHar, 4);
  const lines = [
    ...measure('page loads and responses (app telemetry on 1 entry in 12)', pages, dist),
    ...measure('telemetry-heavy (app telemetry on half the entries)', telemetry, dist),
    ...measure('app telemetry only, no page resources (the worst case; no target)', appOnly, dist),
    ...measure('request-heavy (tens of thousands of small app requests, no response bodies)', requestHeavy, dist),
  ];
  const per = nodeScript(PER_REQUEST_SCRIPT, [appOnly, dist]) as unknown as PerRequest;
  const us = (n: number) => `${n.toFixed(0)} µs`;
  lines.push(
    `decode cost per app request (the app-only HAR, ${per.requests} requests with a body, warm)`,
    `  decode  p50 ${us(per.decodeP50).padStart(8)}   p99 ${us(per.decodeP99).padStart(8)}`,
    `  JSON.parse of the same bodies  p50 ${us(per.parseP50).padStart(8)}   p99 ${us(per.parseP99).padStart(8)}`,
    `  ratio decode / JSON.parse: p50 ${(per.decodeP50 / per.parseP50).toFixed(1)}, p99 ${(per.decodeP99 / per.parseP99).toFixed(1)}`,
    '',
  );
  process.stdout.write(lines.join('\n'));
}

await main();
