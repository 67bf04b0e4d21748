/**
 * `npm run bench`: pcap import throughput on a generated capture of tens of MB, as a ratio to
 * `tcpdump -r FILE -w /dev/null` (or `tshark -r FILE -T fields -e frame.len`) in the same run.
 * Two leakwatch figures: the import alone (packets → flows: reassembly, HTTP, bodies) and the whole
 * `analyze` (with the detector). Each runs 3 times as a fresh process; the best time is kept.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeBenchPcap } from '../fixtures/pcap/bench-pcap.js';
import { ANALYZE_SCRIPT, bestOf, nodeScript, runs } from './child-runs.js';
import type { Measurement } from './child-runs.js';

const root = resolve(import.meta.dirname, '../..');
const workDir = join(root, '.bench');
const targetMb = Number(process.env.LEAKWATCH_BENCH_PCAP_MB ?? 80);

const importScript = `
const { pathToFileURL } = require('node:url');
(async () => {
  const { readFlows } = await import(pathToFileURL(process.argv[2] + '/sources/import/index.js'));
  const t = process.hrtime.bigint();
  let flows = 0;
  for await (const _ of readFlows(process.argv[1], { fileIndex: 0 })) flows++;
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  process.stdout.write(JSON.stringify({ seconds, flows, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
})();
`;





/** The baseline tool available here, as [name, command, args]. */
function baselineTool(file: string): [string, string, string[]] | undefined {
  if (spawnSync('tcpdump', ['--version']).status === 0) return ['tcpdump -r FILE -w /dev/null', 'tcpdump', ['-r', file, '-w', '/dev/null']];
  if (spawnSync('tshark', ['--version']).status === 0) return ['tshark -T fields -e frame.len', 'tshark', ['-r', file, '-T', 'fields', '-e', 'frame.len']];
  return undefined;
}

function timed(command: string, args: string[]): Measurement {
  const t = process.hrtime.bigint();
  const r = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'ignore'] });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status ?? r.signal})`);
  return { seconds: Number(process.hrtime.bigint() - t) / 1e9 };
}

async function main(): Promise<void> {
  const dist = join(root, 'dist/appliance/src');
  if (!existsSync(join(dist, 'cli.js'))) throw new Error('leakwatch is not built: run `npm run build` first');
  mkdirSync(workDir, { recursive: true });
  const file = join(workDir, `bench-${targetMb}mb.pcap`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${targetMb} MB pcap at ${file} …\n`);
    await writeBenchPcap(file, targetMb * 1024 * 1024);
  }
  const mb = statSync(file).size / 1048576;
  const tool = baselineTool(file);
  const baseline = tool ? bestOf(() => timed(tool[1], tool[2])) : undefined;
  const imported = bestOf(() => nodeScript(importScript, [file, dist]));
  const analyzed = bestOf(() => nodeScript(ANALYZE_SCRIPT, [file, dist]));
  const row = (name: string, m: Measurement) =>
    `  ${name.padEnd(32)} ${m.seconds.toFixed(3).padStart(7)} s  ${(mb / m.seconds).toFixed(1).padStart(7)} MB/s${m.peakRssMb ? `  peak RSS ${m.peakRssMb.toFixed(0).padStart(5)} MB` : ''}`;
  const lines = [`pcap benchmark — ${mb.toFixed(1)} MB pcap, ${imported.flows} HTTP requests, Node ${process.version}, best of ${runs}`];
  if (tool && baseline) lines.push(row(tool[0], baseline));
  lines.push(row('leakwatch import (readFlows)', imported), row('leakwatch analyze', analyzed));
  if (baseline) lines.push(`  ratio import / ${tool![1]}: ${(imported.seconds / baseline.seconds).toFixed(2)}; analyze / ${tool![1]}: ${(analyzed.seconds / baseline.seconds).toFixed(2)}`);
  else lines.push('  no baseline: install tcpdump or tshark for the ratio');
  lines.push(`  alerts found: ${analyzed.alerts}`, '');
  process.stdout.write(lines.join('\n'));
}

await main();
