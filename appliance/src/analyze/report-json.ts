import type { AnalysisReport } from './analyze.js';

/** `JSON.stringify(value, null, 2)`, every line after the first indented by `prefix` (a nested value). */
function nested(value: unknown, prefix: string): string {
  return JSON.stringify(value, null, 2).replaceAll('\n', `\n${prefix}`);
}

/**
 * The report as `JSON.stringify(report, null, 2)` prints it, plus a newline, made piece by piece:
 * one alert at a time, so the JSON of tens of thousands of alerts is never one string in memory
 * (a 40 MB capture's --json output once took ~360 MB of peak RSS beyond the analysis itself).
 * JSON strings hold no raw newlines, so indenting every line of a value nests it exactly.
 */
export function* jsonReportChunks(report: AnalysisReport): Generator<string> {
  const entries = Object.entries(report).filter(([, value]) => value !== undefined);
  if (entries.length === 0) {
    yield '{}\n';
    return;
  }
  yield '{';
  for (const [i, [key, value]] of entries.entries()) {
    yield `${i === 0 ? '' : ','}\n  ${JSON.stringify(key)}: `;
    if (Array.isArray(value) && value.length > 0) {
      yield '[';
      for (const [j, item] of value.entries()) yield `${j === 0 ? '' : ','}\n    ${nested(item ?? null, '    ')}`;
      yield '\n  ]';
    } else {
      yield nested(value, '  ');
    }
  }
  yield '\n}\n';
}
