import { spawn } from 'node:child_process';
import { PassThrough, Writable } from 'node:stream';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../../appliance/src/analyze/analyze.js';
import type { AnalysisReport } from '../../../appliance/src/analyze/analyze.js';
import { jsonReportChunks } from '../../../appliance/src/analyze/report-json.js';
import { renderTextChunks } from '../../../appliance/src/analyze/report-text.js';
import { analyzeCommand } from '../../../appliance/src/commands/analyze.js';
import { loadIntel } from '../../../appliance/src/intel/index.js';
import { writeTelemetryHar } from '../../fixtures/bench-har.js';
import { generateCorpus } from '../../fixtures/corpus.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-report-output-'));
const root = resolve(import.meta.dirname, '../../..');
let report: AnalysisReport;

beforeAll(async () => {
  // The labelled corpus: alerts of every kind, opaque telemetry, web trackers.
  const corpus = generateCorpus(join(dir, 'corpus'));
  report = await analyzeFiles(corpus.files, { intel: await loadIntel({ overlayFiles: [corpus.intelFile] }) });
});

describe('the analyze report, written piece by piece', () => {
  it('prints exactly the JSON that JSON.stringify(report, null, 2) printed, one alert per piece', () => {
    expect(report.alerts.length).toBeGreaterThan(50);
    const pieces = [...jsonReportChunks(report)];
    expect(pieces.join('')).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect(pieces.length).toBeGreaterThan(report.alerts.length);
    const empty: AnalysisReport = { alerts: [], summary: report.summary };
    expect([...jsonReportChunks(empty)].join('')).toBe(`${JSON.stringify(empty, null, 2)}\n`);
  });

  it('prints the text report a block per leaking request, ending in one newline', () => {
    const pieces = [...renderTextChunks(report, { color: false })];
    const text = pieces.join('');
    expect(pieces.length).toBeGreaterThan(new Set(report.alerts.map((a) => a.flow.id)).size);
    expect(text.startsWith(`leakwatch: ${report.summary.files} files`)).toBe(true);
    expect(text).toMatch(/[^\n]\n$/);
    expect(text).not.toMatch(/\n\n\n/);
    for (const alert of report.alerts) expect(text).toContain(`${alert.flow.method} ${alert.flow.url}`);
  });

  it('says in a line, exit 2, when the report cannot be written (a full disk behind a redirect)', async () => {
    const full = new Writable({ write: (_chunk, _encoding, done) => done(Object.assign(new Error('write ENOSPC'), { code: 'ENOSPC' })) });
    const stderr = new PassThrough();
    let said = '';
    stderr.on('data', (c: Buffer) => (said += String(c)));
    const code = await analyzeCommand([join(root, 'examples/mint-browser-session.har')], { stdout: full, stderr });
    expect({ code, said }).toEqual({ code: 2, said: 'leakwatch: cannot write the report: write ENOSPC\n' });
  });

  it('stops quietly, exit 0, when the reader goes away early (leakwatch analyze … | head)', async () => {
    const har = join(dir, 'telemetry.har');
    await writeTelemetryHar(har, 2 * 1024 * 1024, 5);
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'appliance/src/main.ts'), 'analyze', '--json', har], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += String(c)));
    // Like head -c 100: read the first bytes, then close the pipe.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });
});
