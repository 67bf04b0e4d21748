import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Flow } from '../../../../appliance/src/model/index.js';
import { ImportError } from '../../../../appliance/src/sources/import/errors.js';
import type { ImportProblem, ImportProgress } from '../../../../appliance/src/sources/import/errors.js';
import { readHar, readHarFlows } from '../../../../appliance/src/sources/import/har.js';
import type { HarReadOptions, HarStreamOptions, HeldCounts } from '../../../../appliance/src/sources/import/har.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-har-'));
let fileCount = 0;
function file(content: string | Buffer): string {
  const path = join(dir, `capture${fileCount++}.har`);
  writeFileSync(path, content);
  return path;
}

interface ReadResult {
  flows: Flow[];
  problems: ImportProblem[];
  error?: ImportError;
}

async function read(path: string, options: Partial<HarReadOptions> = {}, stream: HarStreamOptions = {}): Promise<ReadResult> {
  const result: ReadResult = { flows: [], problems: [] };
  try {
    for await (const f of readHar(path, { fileIndex: 0, onProblem: (p) => result.problems.push(p), ...options }, stream)) result.flows.push(f);
  } catch (error) {
    if (!(error instanceof ImportError)) throw error;
    result.error = error;
  }
  return result;
}

const second = (s: number) => new Date(Date.parse('2026-11-01T10:00:00Z') + s * 1000).toISOString();
const req = (url: string, at = 0, extra: object = {}) => ({
  startedDateTime: second(at),
  request: { method: 'GET', url, httpVersion: 'HTTP/1.1', headers: [] },
  response: { status: 200, content: { mimeType: 'text/html', text: '<p>"}]{[\\"</p> "entries":[{}]' } },
  ...extra,
});
const harText = (entries: unknown[], before = '', after = '') => `{"log":{${before}"version":"1.2","entries":${JSON.stringify(entries)}${after}}}`;

describe('readHarFlows', () => {
  it.each([1, 7, 64, 1 << 20])('reads every entry whatever the chunk size (%i bytes)', async (chunkBytes) => {
    const entries = [req('https://a.example/1', 0), req('https://b.example/ü/北京\\"x', 1), req('https://c.example/3', 2, { comment: 'has "entries":[1] inside' })];
    const path = file(harText(entries, '"pages":[{"id":"p","entries":[{"x":1}]}],', ',"comment":"after"'));
    const { flows, problems } = await read(path, {}, { chunkBytes });
    expect(flows.map((f) => [f.id, f.url])).toEqual([['har:0:0', 'https://a.example/1'], ['har:0:1', 'https://b.example/ü/北京\\"x'], ['har:0:2', 'https://c.example/3']]);
    expect(problems).toEqual([]);
  });

  it('is the streaming reader with default chunks', async () => {
    const flows: Flow[] = [];
    for await (const f of readHarFlows(file(harText([req('https://a.example/')])), { fileIndex: 4, device: 'pixel' })) flows.push(f);
    expect(flows.map((f) => [f.id, f.device])).toEqual([['har:4:0', 'pixel']]);
  });

  it('skips a bad entry, says which and why, and reads the rest', async () => {
    const text = harText([req('https://a.example/'), { request: { method: 'GET' } }, req('https://c.example/')]).replace('"https://c.example/"', '"https://c.example/",,');
    const { flows, problems } = await read(file(text.replace(']}}', ',"oops",' + JSON.stringify(req('https://e.example/')) + ']}}')));
    expect(flows.map((f) => f.id)).toEqual(['har:0:0', 'har:0:4']);
    expect(problems.map((p) => ({ at: p.at, reason: p.reason.replace(/ \(.*/, ' (…)') }))).toEqual([
      { at: 'entry 1', reason: 'request.url is missing' },
      { at: 'entry 2', reason: 'invalid JSON (…)' },
      { at: 'entry 3', reason: 'is not an object' },
    ]);
    expect(problems[0]!.file).toMatch(/capture\d+\.har$/);
  });

  it('yields every complete entry of a truncated file, then names the entry where it ends', async () => {
    const text = harText([req('https://a.example/', 5), req('https://b.example/', 1), req('https://c.example/', 2)]);
    const path = file(text.slice(0, text.lastIndexOf('https://c.example/')));
    const { flows, error } = await read(path, {}, { chunkBytes: 16 });
    expect(flows.map((f) => f.url)).toEqual(['https://b.example/', 'https://a.example/']);
    expect({ code: error?.code, file: error?.file, message: error?.message }).toEqual({
      code: 'malformed', file: path, message: `${path}: file ends inside entry 2 — read 2 entries; the file looks truncated`,
    });
  });

  it('puts entries written out of order back in start order, keeping their file index in the id', async () => {
    const entries = [req('https://a.example/', 3), req('https://b.example/', 1), req('https://c.example/', 2), req('https://d.example/', 1), req('https://e.example/', 9)];
    expect((await read(file(harText(entries)))).flows.map((f) => f.id)).toEqual(['har:0:1', 'har:0:3', 'har:0:2', 'har:0:0', 'har:0:4']);
    expect((await read(file(harText(entries)), { reorderWindow: 0 })).flows.map((f) => f.id)).toEqual(['har:0:0', 'har:0:1', 'har:0:2', 'har:0:3', 'har:0:4']);
  });

  it('reports data after the document as a problem and keeps the entries', async () => {
    const { flows, problems } = await read(file(`${harText([req('https://a.example/')])}\n{"second":"document"}`));
    expect(flows).toHaveLength(1);
    expect(problems.map((p) => [p.at, p.reason])).toEqual([['end of file', 'data after the end of the HAR document was ignored']]);
  });

  it('passes maxBodyBytes on to every entry', async () => {
    const entry = req('https://a.example/', 0, {});
    Object.assign(entry.request, { method: 'POST', postData: { mimeType: 'text/plain', text: '0123456789' } });
    const { flows } = await read(file(harText([entry])), { maxBodyBytes: 3 });
    expect([Buffer.from(flows[0]!.body).toString(), flows[0]!.bodyTruncated]).toEqual(['012', true]);
  });

  it('holds about one entry at a time: a 40 MB response body and 2,000 small entries', async () => {
    const small = JSON.stringify(req('https://s.example/x', 1)).replace('https://s.example/x', 'https://s.example/@');
    const big = JSON.stringify({ ...req('https://big.example/', 0), response: { status: 200, content: { mimeType: 'image/png', encoding: 'base64', text: 'QUJD'.repeat(10 * 1024 * 1024) } } });
    const parts = [big, ...Array.from({ length: 2000 }, (_, i) => small.replace('@', String(i)))];
    const path = file(`{"log":{"version":"1.2","entries":[${parts.join(',')}]}}`);
    let max: HeldCounts = { entries: 0, bytes: 0, flows: 0 };
    const onHeld = (h: HeldCounts) => {
      max = { entries: Math.max(max.entries, h.entries), bytes: Math.max(max.bytes, h.bytes), flows: Math.max(max.flows, h.flows) };
    };
    const progress: ImportProgress[] = [];
    const { flows } = await read(path, { reorderWindow: 16, onProgress: (p) => progress.push(p) }, { onHeld });
    expect(flows.length).toBe(2001);
    expect(flows[0]!.url).toBe('https://big.example/');
    expect(max.entries).toBeLessThanOrEqual(2);
    expect(max.bytes).toBeLessThan(1024);
    expect(max.flows).toBeLessThanOrEqual(16);
    const total = progress.at(-1)!.totalBytes;
    expect(progress.at(-1)).toEqual({ file: path, bytesRead: total, totalBytes: total, flows: 2001 });
    const steps = progress.slice(1).map((p, i) => p.bytesRead - progress[i]!.bytesRead);
    expect(steps.slice(0, -1).every((s) => s >= 1 << 20)).toBe(true);
    expect(progress.length).toBeGreaterThan(30);
  });

  it('says a file that cannot be read cannot be read', async () => {
    const { error } = await read(join(dir, 'missing.har'));
    expect([error?.code, error?.message]).toEqual(['unreadable', `${join(dir, 'missing.har')}: cannot read file: ENOENT`]);
    const dirError = (await read(dir)).error;
    expect([dirError?.code, dirError?.message]).toEqual(['unreadable', `${dir}: cannot read file: EISDIR`]);
  });
});
