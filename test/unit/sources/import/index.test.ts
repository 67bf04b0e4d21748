import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ImportError, readFlows } from '../../../../appliance/src/sources/import/index.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-import-'));
let fileCount = 0;
function file(content: string | Buffer, name = `capture${fileCount++}.har`): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function read(path: string): Promise<{ urls: string[]; error?: ImportError }> {
  const urls: string[] = [];
  try {
    for await (const f of readFlows(path, { fileIndex: 0 })) urls.push(f.url);
  } catch (error) {
    if (!(error instanceof ImportError)) throw error;
    return { urls, error };
  }
  return { urls };
}

const har = (url: string) => JSON.stringify({ log: { version: '1.2', entries: [{ startedDateTime: '2026-11-01T10:00:00Z', request: { method: 'GET', url, headers: [] }, response: { status: 200, content: {} } }] } });

describe('readFlows', () => {
  it.each([
    ['plain', har('https://plain.example/')],
    ['with a byte order mark and white space first', `\uFEFF \n\t${har('https://plain.example/')}`],
  ])('reads a HAR file (%s)', async (_name, text) => {
    expect(await read(file(text))).toEqual({ urls: ['https://plain.example/'] });
  });

  it('reads a gzip-compressed HAR through a stream', async () => {
    expect(await read(file(gzipSync(har('https://gz.example/')), 'capture.har.gz'))).toEqual({ urls: ['https://gz.example/'] });
  });

  it('says a corrupt gzip-compressed HAR is malformed', async () => {
    const gz = gzipSync(har('https://gz.example/'));
    const path = file(Buffer.concat([gz.subarray(0, 12), Buffer.alloc(40, 0xff)]), 'broken.har.gz');
    const { error } = await read(path);
    expect([error?.code, error?.message]).toEqual(['malformed', `${path}: the gzip-compressed HAR is corrupt after 0 entries`]);
  });

  it('yields the entries of a truncated gzip-compressed HAR, then says it ends early', async () => {
    const entries = Array.from({ length: 50 }, (_, i) => JSON.parse(har(`https://gz.example/${i}`)).log.entries[0]);
    const gz = gzipSync(JSON.stringify({ log: { entries } }));
    const path = file(gz.subarray(0, Math.floor(gz.length * 0.8)), 'cut.har.gz');
    const { urls, error } = await read(path);
    expect(urls.length).toBeGreaterThan(10);
    expect(urls).toEqual(Array.from({ length: urls.length }, (_, i) => `https://gz.example/${i}`));
    expect([error?.code, error?.message]).toEqual(['malformed', `${path}: the gzip-compressed file ends early — read ${urls.length} entries; the file looks truncated`]);
  });

  it.each([
    ['pcap, big-endian', 'a1b2c3d4', 'the pcap file header is cut short (fewer than 24 bytes) — is it a pcap capture?'],
    ['pcap, little-endian', 'd4c3b2a1', 'the pcap file header is cut short (fewer than 24 bytes) — is it a pcap capture?'],
    ['pcap with nanoseconds, big-endian', 'a1b23c4d', 'the pcap file header is cut short (fewer than 24 bytes) — is it a pcap capture?'],
    ['pcap with nanoseconds, little-endian', '4d3cb2a1', 'the pcap file header is cut short (fewer than 24 bytes) — is it a pcap capture?'],
    ['pcapng', '0a0d0d0a', 'the pcapng Section Header Block is cut short — is it a pcapng capture?'],
  ])('reads a file starting with the %s magic as a capture, whatever its name', async (_name, magic, message) => {
    const path = file(Buffer.from(`${magic}0200040000000000`, 'hex'), `capture${fileCount++}.har`);
    const { error } = await read(path);
    expect([error?.code, error?.message]).toEqual(['malformed', `${path}: ${message}`]);
  });

  it.each([
    ['an HTML page', '<!DOCTYPE html><html><body>', "not a HAR file (expected a JSON object with log.entries; the file starts with '<!DOCTYPE html><')"],
    ['an empty file', '', 'not a HAR file (expected a JSON object with log.entries; the file is empty)'],
    ['JSON without log.entries', '{"log":{"version":"1.2"}}', 'not a HAR file (expected a JSON object with log.entries; no log.entries array)'],
    ['binary data', Buffer.from([0x00, 0x01, 0x02, 0x03]), 'not a HAR file (expected a JSON object with log.entries; the file starts with the bytes 00 01 02 03)'],
  ])('refuses %s as malformed, saying what it found', async (_name, content, message) => {
    const path = file(content);
    const { error } = await read(path);
    expect([error?.code, error?.message]).toEqual(['malformed', `${path}: ${message}`]);
  });

  it('says a missing file cannot be read', async () => {
    const path = join(dir, 'nope.har');
    const { error } = await read(path);
    expect([error?.code, error?.message]).toEqual(['unreadable', `${path}: cannot read file: ENOENT`]);
  });
});
