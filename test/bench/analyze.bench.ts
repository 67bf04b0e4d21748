/**
 * `npm run bench`: leakwatch analyze throughput on a generated HAR of tens of MB, as a ratio to
 * JSON.parse of the same file in the same run, and the peak RSS of each. Both run as fresh child
 * processes of the same Node, so start-up and GC costs are alike; each is run 3 times and the best
 * time is kept (the least disturbed by other load on the machine).
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeBenchHar } from '../fixtures/bench-har.js';
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



async function main(): Promise<void> {
  const dist = join(root, 'dist/appliance/src');
  if (!existsSync(join(dist, 'cli.js'))) throw new Error('leakwatch is not built: run `npm run build` first');
  mkdirSync(workDir, { recursive: true });
  const har = join(workDir, `bench-${targetMb}mb.har`);
  if (!existsSync(har)) {
    process.stderr.write(`generating ${targetMb} MB HAR at ${har} …\n`);
    await writeBenchHar(har, targetMb * 1024 * 1024, 1);
  }
  const mb = statSync(har).size / 1048576;
  const baseline = bestOf(() => nodeScript(baselineScript, [har]));
  const analyze = bestOf(() => nodeScript(ANALYZE_SCRIPT, [har, dist]));
  const ratio = analyze.seconds / baseline.seconds;
  const row = (name: string, m: Measurement) =>
    `  ${name.padEnd(28)} ${m.seconds.toFixed(3).padStart(7)} s  ${(mb / m.seconds).toFixed(1).padStart(7)} MB/s  peak RSS ${(m.peakRssMb ?? 0).toFixed(0).padStart(5)} MB`;
  process.stdout.write(
    [
      `analyze benchmark — ${mb.toFixed(1)} MB HAR, ${baseline.entries} entries, Node ${process.version}, best of ${runs}`,
      row('JSON.parse (read + parse)', baseline),
      row('leakwatch analyze', analyze),
      `  ratio analyze / JSON.parse: ${ratio.toFixed(2)} (target ≤ 3.00); alerts found: ${analyze.alerts}`,
      '',
    ].join('\n'),
  );
}

await main();
