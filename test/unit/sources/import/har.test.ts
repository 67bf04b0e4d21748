import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Flow } from '../../../../appliance/src/model/index.js';
import { ImportError, readFlows } from '../../../../appliance/src/sources/import/index.js';
import type { ImportProblem } from '../../../../appliance/src/sources/import/index.js';
import { EntryScanner } from '../../../../appliance/src/sources/import/json-entries.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-har-'));
let n = 0;
function file(content: string | Buffer): string {
  const path = join(dir, `f${n++}.har`);
  writeFileSync(path, content);
  return path;
}

async function read(path: string, chunkBytes?: number): Promise<{ flows: Flow[]; problems: ImportProblem[]; error?: ImportError }> {
  const flows: Flow[] = [];
  const problems: ImportProblem[] = [];
  try {
    for await (const f of readFlows(path, { fileIndex: 0, onProblem: (p) => problems.push(p), ...(chunkBytes ? { chunkBytes } : {}) })) flows.push(f);
  } catch (error) {
    if (!(error instanceof ImportError)) throw error;
    return { flows, problems, error };
  }
  return { flows, problems };
}

const req = (url: string, extra: object = {}) => ({ startedDateTime: '2026-11-01T10:00:00.000Z', request: { method: 'GET', url, httpVersion: 'HTTP/1.1', headers: [] }, response: { status: 200, content: { mimeType: 'text/html', text: '<p>"}]{[\\"</p>' } }, ...extra });
const harText = (entries: unknown[], before = '', after = '') => `{"log":{${before}"version":"1.2","entries":${JSON.stringify(entries)}${after}}}`;

describe('readFlows on HAR', () => {
  it('maps a Chromium entry to a Flow exactly as recorded', async () => {
    const entry = {
      startedDateTime: '2026-11-01T10:00:00.123Z',
      _resourceType: 'document',
      serverIPAddress: '[2a00:1450::1]',
      request: {
        method: 'POST', url: 'https://Example.org:8443/a?b=1#frag', httpVersion: 'h2',
        headers: [{ name: 'Sec-Fetch-Mode', value: 'navigate' }, { name: 'Referer', value: 'https://x.example/' }],
        postData: { mimeType: 'application/json', text: '{"k":"ü"}' },
      },
      response: { status: 302, redirectURL: 'https://example.org/b', content: { mimeType: 'text/html' } },
    };
    const { flows } = await read(file(harText([entry])));
    expect(flows).toHaveLength(1);
    const f = flows[0]!;
    expect({ ...f, body: Buffer.from(f.body).toString('utf8') }).toEqual({
      id: 'har:0:0', device: expect.stringMatching(/^file:f\d+\.har$/), time: Date.parse('2026-11-01T10:00:00.123Z'),
      method: 'POST', url: 'https://Example.org:8443/a?b=1#frag', httpVersion: 'h2',
      headers: [{ name: 'Sec-Fetch-Mode', value: 'navigate' }, { name: 'Referer', value: 'https://x.example/' }, { name: 'Content-Type', value: 'application/json' }],
      body: '{"k":"ü"}',
      destination: { host: 'example.org', port: 8443, ip: '2a00:1450::1' },
      source: 'har',
      initiator: { secFetchMode: 'navigate', referer: 'https://x.example/', resourceType: 'document' },
      response: { status: 302, mimeType: 'text/html', location: 'https://example.org/b' },
    });
  });

  it.each([
    ['base64 postData', { postData: { mimeType: 'application/octet-stream', text: Buffer.from([1, 2, 255]).toString('base64'), encoding: 'base64' } }, [1, 2, 255]],
    ['a binary body stored as Latin-1 characters', { postData: { mimeType: 'application/octet-stream', text: Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff]).toString('latin1') } }, [0x1f, 0x8b, 0x08, 0x00, 0xff]],
    ['a UTF-8 text body', { postData: { mimeType: 'text/plain', text: 'ü€' } }, [...Buffer.from('ü€')]],
    ['params-only postData', { postData: { mimeType: 'application/x-www-form-urlencoded', params: [{ name: 'a b', value: 'c&d' }] } }, [...Buffer.from('a%20b=c%26d')]],
  ])('reads %s', async (_name, extra, bytes) => {
    const entry = req('https://t.example.cn/x');
    Object.assign(entry.request, extra);
    const { flows } = await read(file(harText([entry])));
    expect([...flows[0]!.body]).toEqual(bytes);
  });

  it.each([1, 7, 64, 1 << 20])('cuts entries right whatever the chunk size (%i bytes)', async (chunk) => {
    const entries = [req('https://a.example/1'), req('https://b.example/ü/\\"x'), req('https://c.example/3', { comment: 'has "entries":[1] inside' })];
    const path = file(harText(entries, '"pages":[{"id":"p","entries":[{"x":1}]}],', ',"comment":"after"'));
    const { flows, problems } = await read(path, chunk);
    expect(flows.map((f) => f.url)).toEqual(['https://a.example/1', 'https://b.example/ü/\\"x', 'https://c.example/3']);
    expect(problems).toEqual([]);
  });

  it('reads a gzip-compressed HAR', async () => {
    const { flows } = await read(file(gzipSync(harText([req('https://gz.example/')]))));
    expect(flows.map((f) => f.url)).toEqual(['https://gz.example/']);
  });

  it('skips a bad entry, says which, and reads the rest', async () => {
    const { flows, problems } = await read(file(harText([req('https://a.example/'), { request: { method: 'GET' } }, req('https://c.example/')])));
    expect(flows.map((f) => f.id)).toEqual(['har:0:0', 'har:0:2']);
    expect(problems).toEqual([{ file: expect.any(String), at: 'entry 1', reason: 'request.url is missing' }]);
  });

  it.each([
    ['an empty file', '', /not a HAR file .*the file is empty/],
    ['an HTML page', '<!DOCTYPE html><html>', /not a HAR file \(expected a JSON object with log\.entries; the file starts with '<!DOCTYPE html>/],
    ['JSON without entries', '{"log":{"version":"1.2"}}', /not a HAR file .*no log\.entries array/],
  ])('refuses %s with a clear message', async (_name, content, message) => {
    const { error } = await read(file(content));
    expect(error?.code).toBe('malformed');
    expect(error?.message).toMatch(message);
  });

  it('yields every complete entry of a truncated file, then names the entry where it ends', async () => {
    const text = harText([req('https://a.example/'), req('https://b.example/'), req('https://c.example/')]);
    const { flows, error } = await read(file(text.slice(0, text.lastIndexOf('https://c.example/'))));
    expect(flows.map((f) => f.url)).toEqual(['https://a.example/', 'https://b.example/']);
    expect(error?.message).toMatch(/file ends inside entry 2 — read 2 entries; the file looks truncated/);
  });

  it('calls pcap files unsupported for now, with what to do', async () => {
    const { error } = await read(file(Buffer.from('d4c3b2a102000400', 'hex')));
    expect(error?.code).toBe('unsupported');
    expect(error?.message).toMatch(/pcap\/pcapng import is not available yet .* export a HAR instead/);
  });

  it('says a missing file cannot be read', async () => {
    const { error } = await read(join(dir, 'nope.har'));
    expect(error?.code).toBe('unreadable');
    expect(error?.message).toMatch(/nope\.har: cannot read file: ENOENT/);
  });
});

describe('EntryScanner', () => {
  it('never holds response bodies: a 40 MB body costs no memory and no parse time', () => {
    const scanner = new EntryScanner();
    const big = 'x'.repeat(40 * 1024 * 1024);
    const text = harText([{ ...req('https://big.example/'), response: { status: 200, content: { mimeType: 'text/html', text: big } } }, req('https://small.example/')]);
    let maxHeld = 0;
    const out: string[] = [];
    const buf = Buffer.from(text);
    for (let i = 0; i < buf.length; i += 65536) {
      for (const e of scanner.push(buf.subarray(i, i + 65536))) out.push(e.bytes.toString());
      maxHeld = Math.max(maxHeld, scanner.heldBytes);
    }
    scanner.finish();
    expect(maxHeld).toBeLessThan(64 * 1024);
    expect(out.map((e) => JSON.parse(e).response.content.text)).toEqual(['', '']);
    expect(out.map((e) => JSON.parse(e).request.url)).toEqual(['https://big.example/', 'https://small.example/']);
  });
});
