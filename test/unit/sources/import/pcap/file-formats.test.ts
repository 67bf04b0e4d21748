import { describe, expect, it } from 'vitest';
import { writePcap, writePcapng } from '../../../../fixtures/pcap/capture-writer.js';
import { LINKTYPE } from '../../../../fixtures/pcap/packets.js';
import { PAGE, SA_HOST, browsingSession } from '../../../../fixtures/pcap/browsing-session.js';
import { captureFile, framed, readCapture } from './capture-helpers.js';

const session = browsingSession();
const ethernet = framed(session, LINKTYPE.ethernet);
const expectedUrls = [PAGE, `http://${SA_HOST}:8106/sa?project=global_browser_mini&r=SG`];

describe('capture file formats', () => {
  it.each([
    ['pcap, little-endian, µs', writePcap(ethernet, { linkType: 1, littleEndian: true })],
    ['pcap, big-endian, µs', writePcap(ethernet, { linkType: 1, littleEndian: false })],
    ['pcap, little-endian, ns', writePcap(ethernet, { linkType: 1, littleEndian: true, nanoseconds: true })],
    ['pcap, big-endian, ns', writePcap(ethernet, { linkType: 1, littleEndian: false, nanoseconds: true })],
    ['pcapng, little-endian', writePcapng(ethernet, { linkType: 1, littleEndian: true })],
    ['pcapng, big-endian, ns resolution', writePcapng(ethernet, { linkType: 1, littleEndian: false, tsresol: 9 })],
    ['pcapng, 2^-20 s resolution, with blocks to skip', writePcapng(ethernet, { linkType: 1, tsresol: 0x80 | 20, skippableBlocks: true })],
    ['pcapng with Simple and obsolete Packet Blocks', writePcapng(ethernet, { linkType: 1, otherPacketBlocks: true })],
  ])('reads %s: the requests with their times, the TLS connection, no problems', async (_name, bytes) => {
    const { flows, tls, problems, error } = await readCapture(captureFile(bytes));
    expect(error).toBeUndefined();
    expect(problems).toEqual([]);
    expect(flows.map((f) => f.url)).toEqual(expectedUrls);
    expect(flows[0]!.time).toBe(Date.parse('2026-11-01T10:00:00Z') + 103);
    expect(tls.map((c) => c.host)).toEqual([SA_HOST]);
  });

  it('reads the same flows whatever the size of the chunks the file arrives in', async () => {
    const path = captureFile(writePcapng(ethernet, { linkType: 1 }));
    for (const chunkBytes of [1, 7, 64, 1000]) {
      expect((await readCapture(path, { chunkBytes })).flows.map((f) => f.url)).toEqual(expectedUrls);
    }
  });

  it('reads a pcapng file with two sections of different byte order', async () => {
    const half = ethernet.findIndex((p) => p.time >= Date.parse('2026-11-01T10:00:04Z'));
    const bytes = Buffer.concat([writePcapng(ethernet.slice(0, half), { linkType: 1, littleEndian: true }), writePcapng(ethernet.slice(half), { linkType: 1, littleEndian: false })]);
    expect((await readCapture(captureFile(bytes))).flows.map((f) => f.url)).toEqual(expectedUrls);
  });

  it.each([
    ['pcap', (p: typeof ethernet) => writePcap(p, { linkType: 1 })],
    ['pcapng', (p: typeof ethernet) => writePcapng(p, { linkType: 1 })],
  ])('yields what a truncated %s file held, and warns that it ends mid-packet', async (_name, write) => {
    const full = write(ethernet);
    // Cut inside the TLS connection's packets: both HTTP exchanges are complete before it.
    const { flows, problems, error } = await readCapture(captureFile(full.subarray(0, full.length - 150)));
    expect(error).toBeUndefined();
    expect(flows.map((f) => f.url)).toEqual(expectedUrls);
    expect(problems).toEqual([expect.objectContaining({ at: 'file', reason: expect.stringMatching(/ends in the middle of (packet|block) \d+ \(truncated\?\); read \d+ packets/) })]);
  });

  it('stops at a corrupt record length with a warning, keeping the packets before it', async () => {
    const full = writePcap(ethernet, { linkType: 1 });
    const firstRecordLength = full.readUInt32LE(24 + 8);
    const secondRecord = 24 + 16 + firstRecordLength;
    full.writeUInt32LE(0x7fffffff, secondRecord + 8);
    const { flows, problems, error } = await readCapture(captureFile(full));
    expect([error, flows]).toEqual([undefined, []]);
    expect(problems.map((p) => p.reason)).toEqual([expect.stringMatching(/^packet record 2 claims 2147483647 bytes, more than any frame: the file is corrupt .*; read 1 packets before it$/)]);
  });

  it.each([
    ['a pcap magic followed by garbage', Buffer.concat([Buffer.from('d4c3b2a1', 'hex'), Buffer.from('garbage!garbage!garbage!')]), /not supported \(only 2\.x exists\)/],
    ['a pcap header cut short', Buffer.from('d4c3b2a102000400', 'hex'), /the pcap file header is cut short/],
    ['a pcapng header with a wrong byte-order magic', Buffer.concat([Buffer.from('0a0d0d0a1c000000', 'hex'), Buffer.alloc(20, 0x55)]), /unknown byte-order magic/],
    ['a pcapng file cut inside its section header', Buffer.from('0a0d0d0a1c0000004d3c2b1a', 'hex'), /Section Header Block is cut short/],
  ])('refuses %s with a clear error and no flows', async (_name, bytes, message) => {
    const path = captureFile(bytes);
    const { flows, error } = await readCapture(path);
    expect(flows).toEqual([]);
    expect(error?.code).toBe('malformed');
    expect(error?.message).toMatch(message);
    expect(error?.message.startsWith(`${path}: `)).toBe(true);
  });
});
