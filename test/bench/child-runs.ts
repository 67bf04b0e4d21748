/**
 * What the file benchmarks share: each measurement runs as a fresh child process of the same Node
 * (start-up and GC alike for leakwatch and its baseline), several times, keeping the best time —
 * the run least disturbed by other load on the machine.
 */
import { execFileSync } from 'node:child_process';

export interface Measurement {
  seconds: number;
  peakRssMb?: number;
  flows?: number;
  alerts?: number;
  entries?: number;
}

export const runs = Number(process.env.LEAKWATCH_BENCH_RUNS ?? 3);

/** `leakwatch analyze` of argv[1] from the build in argv[2], the report serialised as the CLI would. */
export const ANALYZE_SCRIPT = `
const { pathToFileURL } = require('node:url');
(async () => {
  const dist = process.argv[2];
  const { loadIntel } = await import(pathToFileURL(dist + '/intel/index.js'));
  const { analyzeFiles } = await import(pathToFileURL(dist + '/analyze/analyze.js'));
  const { jsonReportChunks } = await import(pathToFileURL(dist + '/analyze/report-json.js'));
  const intel = await loadIntel({});
  const t = process.hrtime.bigint();
  const report = await analyzeFiles([process.argv[1]], { intel });
  // The report made as \`leakwatch analyze --json\` makes it, piece by piece (not written anywhere).
  let chars = 0;
  for (const piece of jsonReportChunks(report)) chars += piece.length;
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  process.stdout.write(JSON.stringify({ seconds, flows: report.summary.flows, alerts: report.alerts.length, reportChars: chars, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
})();
`;

/** Runs a script (printing one Measurement as JSON) in a fresh Node process. */
export function nodeScript(script: string, args: string[]): Measurement {
  return JSON.parse(execFileSync(process.execPath, ['-e', script, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 })) as Measurement;
}

/** The fastest of `runs` measurements, with the highest peak RSS any of them reached. */
export function bestOf(measureOnce: () => Measurement): Measurement {
  let kept: Measurement | undefined;
  let peakRssMb: number | undefined;
  for (let i = 0; i < runs; i++) {
    const m = measureOnce();
    if (m.peakRssMb !== undefined) peakRssMb = Math.max(peakRssMb ?? 0, m.peakRssMb);
    if (!kept || m.seconds < kept.seconds) kept = m;
  }
  return { ...kept!, ...(peakRssMb !== undefined ? { peakRssMb } : {}) };
}
