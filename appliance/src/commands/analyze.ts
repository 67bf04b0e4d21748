import { parseArgs } from 'node:util';
import { AnalysisInputError, analyzeFiles } from '../analyze/analyze.js';
import type { AnalysisReport } from '../analyze/analyze.js';
import { progressPrinter } from '../analyze/progress.js';
import { jsonReportChunks } from '../analyze/report-json.js';
import { renderTextChunks } from '../analyze/report-text.js';
import { writeChunks } from '../analyze/write-chunks.js';
import type { CliIo } from '../cli-io.js';
import { loadIntel } from '../intel/index.js';
import type { ChinaLinkPolicy } from '../intel/index.js';
import type { Severity } from '../model/index.js';
import { SEVERITIES, severityAtLeast } from '../model/index.js';
import { EXIT } from './exit-codes.js';
import { UsageError } from './usage-error.js';

/** `--hosted-in`: which hosted-in reasons decide china-linked (README "Who counts as china-linked"). */
const HOSTED_IN: Record<string, ChinaLinkPolicy> = {
  all: { hostedInMainlandChina: true, hostedInHongKongMacau: true },
  mainland: { hostedInMainlandChina: true, hostedInHongKongMacau: false },
  none: { hostedInMainlandChina: false, hostedInHongKongMacau: false },
};

/** `leakwatch analyze FILE...`: the report on stdout, the exit code by --fail-on. */
export async function analyzeCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        intel: { type: 'string', multiple: true, default: [] },
        'fail-on': { type: 'string' },
        'no-suspected': { type: 'boolean', default: false },
        'hosted-in': { type: 'string', default: 'all' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw new UsageError('analyze needs at least one capture file (HAR, pcap or pcapng)');
  const failOn = values['fail-on'];
  if (failOn !== undefined && !SEVERITIES.includes(failOn as Severity)) {
    throw new UsageError(`--fail-on takes one of ${SEVERITIES.join(', ')}, not "${failOn}"`);
  }

  const policy = Object.hasOwn(HOSTED_IN, values['hosted-in']) ? HOSTED_IN[values['hosted-in']] : undefined;
  if (!policy) throw new UsageError(`--hosted-in takes all, mainland or none, not "${values['hosted-in']}"`);

  let intel;
  try {
    intel = await loadIntel({ overlayFiles: values.intel, policy });
  } catch (error) {
    io.stderr.write(`leakwatch: ${(error as Error).message}\n`);
    return EXIT.usage;
  }

  const progress = io.stderr.isTTY ? progressPrinter(io.stderr) : undefined;
  let report: AnalysisReport;
  let inputErrors: string | undefined;
  try {
    report = await analyzeFiles(positionals, {
      intel,
      detector: { suspected: !values['no-suspected'] },
      ...(progress ? { onProgress: progress.update } : {}),
    });
  } catch (error) {
    if (!(error instanceof AnalysisInputError)) throw error;
    report = error.report;
    inputErrors = error.message;
  } finally {
    progress?.done();
  }

  try {
    await writeChunks(io.stdout, values.json ? jsonReportChunks(report) : renderTextChunks(report, { color: Boolean(io.stdout.isTTY) }));
  } catch (error) {
    // A full disk or a broken file behind a redirect: said in a line, not a stack trace.
    io.stderr.write(`leakwatch: cannot write the report: ${(error as Error).message}\n`);
    return EXIT.usage;
  }
  if (inputErrors !== undefined) {
    io.stderr.write(`leakwatch: ${inputErrors}\n`);
    return EXIT.usage;
  }
  if (failOn !== undefined && report.alerts.some((a) => severityAtLeast(a.severity, failOn as Severity))) return EXIT.no;
  return EXIT.ok;
}
