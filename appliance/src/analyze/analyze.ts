import type { Alert, AnalysisSummary, Confidence, Severity } from '../model/index.js';
import { CONFIDENCE_RANK } from '../model/index.js';
import { Detector } from '../detect/index.js';
import { DEFAULT_DECODE_BUDGET } from '../detect/decode/types.js';
import type { DetectorOptions } from '../detect/index.js';
import type { Intel } from '../intel/types.js';
import { isCommonWord } from '../words/common-words.js';
import { readFlows } from '../sources/import/index.js';
import type { ImportProblem, ImportProgress } from '../sources/import/index.js';
import { ImportError } from '../sources/import/errors.js';
import { plural } from '../plural.js';

export interface AnalysisReport {
  alerts: Alert[];
  summary: AnalysisSummary;
}

export interface AnalyzeOptions {
  intel: Intel;
  detector?: Partial<DetectorOptions>;
  onProgress?: (progress: ImportProgress) => void;
}

/** A file that could not be read to the end; what was read before the fault is in `report`. */
export class AnalysisInputError extends Error {
  constructor(
    readonly report: AnalysisReport,
    readonly causes: ImportError[],
  ) {
    super(causes.map((c) => c.message).join('\n'));
  }
}

/**
 * Runs every file through one detector, the way a live phone's flows would go: each file is its
 * own device unless the file names its clients. Throws AnalysisInputError after reading
 * everything it could when a file is unreadable or malformed.
 */
export async function analyzeFiles(files: readonly string[], options: AnalyzeOptions): Promise<AnalysisReport> {
  // The time budget needs a clock; the pure detector has none of its own.
  const decodeBudget = { clock: () => performance.now(), ...options.detector?.decodeBudget };
  const detector = new Detector(options.intel, { isCommonWord, ...options.detector, decodeBudget });
  const alerts: Alert[] = [];
  /** Where each alert id sits in `alerts`: a later, stronger alert with the same id replaces it, as the store does. */
  const byId = new Map<string, number>();
  const keep = (alert: Alert) => {
    const at = byId.get(alert.id);
    if (at === undefined) byId.set(alert.id, alerts.push(alert) - 1);
    else if (CONFIDENCE_RANK[alert.confidence] > CONFIDENCE_RANK[alerts[at]!.confidence]) alerts[at] = { ...alert, upgradedFrom: alerts[at]!.confidence };
  };
  const problems: AnalysisSummary['problems'] = [];
  const failures: ImportError[] = [];
  let tlsConnections = 0;
  const onTlsConnection = () => tlsConnections++;
  for (const [fileIndex, file] of files.entries()) {
    const onProblem = (p: ImportProblem) => problems.push({ file: p.file, at: p.at, reason: p.reason });
    try {
      for await (const flow of readFlows(file, { fileIndex, onProblem, onTlsConnection, onProgress: options.onProgress })) {
        detector.observe(flow).forEach(keep);
      }
    } catch (error) {
      if (!(error instanceof ImportError)) throw error;
      failures.push(error);
      problems.push({ file, at: 'file', reason: error.message });
    }
  }
  if (detector.counts.outOfTime > 0) {
    const limit = detector.options.decodeBudget.maxMillis ?? DEFAULT_DECODE_BUDGET.maxMillis;
    problems.push({ file: files.length === 1 ? files[0]! : `${files.length} files`, at: 'decoding', reason: `${plural(detector.counts.outOfTime, 'request was', 'requests were')} only partly decoded: each ran out of its ${limit} ms time budget` });
  }
  const report: AnalysisReport = { alerts, summary: summarise(files.length, detector, alerts, problems, tlsConnections) };
  if (failures.length > 0) throw new AnalysisInputError(report, failures);
  return report;
}

function summarise(files: number, detector: Detector, alerts: readonly Alert[], problems: AnalysisSummary['problems'], tlsConnections: number): AnalysisSummary {
  const bySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  const byConfidence: Record<Confidence, number> = { proven: 0, confirmed: 0, suspected: 0 };
  for (const a of alerts) {
    bySeverity[a.severity]++;
    byConfidence[a.confidence]++;
  }
  return {
    files,
    flows: detector.counts.flows,
    navigations: detector.counts.navigations,
    alerts: alerts.length,
    bySeverity,
    byConfidence,
    chinaLinkedAlerts: alerts.filter((a) => a.destination.chinaLinked).length,
    tlsConnections,
    opaque: detector.opaqueTelemetry(),
    webTrackers: detector.webTrackers(),
    problems,
  };
}
