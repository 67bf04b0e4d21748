import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EvidenceRing } from '../../../appliance/src/sources/capture/evidence-ring.js';
import { BLOCK, blocksOf } from '../../../appliance/src/sources/capture/pcapng-blocks.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-evidence-'));
const PHONE = 'da:a1:19:3c:4e:01';
const T0 = 1_764_500_000_000; // ms

/** An Ethernet/IPv4/UDP frame from the phone (10.42.0.23) to 10.9.0.5:9999 carrying `payload`. */
function udpFrame(payload: string): Buffer {
  const data = Buffer.from(payload);
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(40000, 0);
  udp.writeUInt16BE(9999, 2);
  udp.writeUInt16BE(8 + data.length, 4);
  const ip = Buffer.from([0x45, 0, 0, 0, 0, 1, 0, 0, 64, 17, 0, 0, 10, 42, 0, 23, 10, 9, 0, 5]);
  ip.writeUInt16BE(20 + 8 + data.length, 2);
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += ip.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  ip.writeUInt16BE(~sum & 0xffff, 10);
  const eth = Buffer.from([0x02, 0, 0, 0, 0, 0x01, 0xda, 0xa1, 0x19, 0x3c, 0x4e, 0x01, 0x08, 0x00]);
  return Buffer.concat([eth, ip, udp, data]);
}

const ring = (name: string, maxBytesPerDevice = 1 << 20, segmentBytes?: number) =>
  new EvidenceRing({ dir: join(dir, name), maxBytesPerDevice, ...(segmentBytes ? { segmentBytes } : {}), linkType: 1, snapLength: 65535, interfaceName: 'wlan0', application: 'leakwatch test' });

const at = (ms: number) => BigInt(T0 + ms) * 1000n;

function tcpdump(file: string): string[] {
  return execFileSync('tcpdump', ['-r', file, '-n', '-tt', '-A'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n').filter((l) => /^\d+\.\d+ IP /.test(l));
}

describe('the rolling evidence (pcapng per device)', () => {
  it('slices the packets around a moment, with the TLS keys in front, as a pcapng tcpdump reads', () => {
    const evidence = ring('slice');
    for (let i = 0; i < 10; i++) evidence.packet(PHONE, at(i * 1000), udpFrame(`packet-${i}`));
    evidence.tlsKey(PHONE, 'CLIENT_RANDOM 0011 aabb');
    evidence.packet('other-device', at(3500), udpFrame('not the phone'));
    const slice = evidence.slice(PHONE, T0 + 2500, T0 + 5500)!;
    const file = join(dir, 'slice.pcapng');
    writeFileSync(file, slice);
    const lines = tcpdump(file);
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['1764500003.000000', '1764500004.000000', '1764500005.000000']);
    expect(lines[0]).toContain('10.42.0.23.40000 > 10.9.0.5.9999: UDP, length 8');
    const blocks = [...blocksOf(slice)].map((b) => b.type);
    expect(blocks).toEqual([BLOCK.sectionHeader, BLOCK.interfaceDescription, BLOCK.decryptionSecrets, BLOCK.enhancedPacket, BLOCK.enhancedPacket, BLOCK.enhancedPacket]);
    expect(slice.includes(Buffer.from('CLIENT_RANDOM 0011 aabb\n'))).toBe(true);
    expect(evidence.slice(PHONE, T0 + 60_000, T0 + 70_000)).toBeUndefined();
  });

  it('writes a burst out as its buffer fills, before any flush, losing and reordering nothing', () => {
    const evidence = ring('burst', 8 << 20);
    // The capture's buffer is reused for every packet: the ring must copy what it keeps.
    const reused = Buffer.alloc(1600);
    for (let i = 0; i < 300; i++) {
      const frame = udpFrame(`burst-${String(i).padStart(3, '0')}:${'y'.repeat(1400)}`);
      frame.copy(reused);
      evidence.packet(PHONE, at(i), reused.subarray(0, frame.length));
    }
    const folder = join(dir, 'burst', 'da-a1-19-3c-4e-01');
    const onDisk = () => readdirSync(folder).reduce((sum, f) => sum + statSync(join(folder, f)).size, 0);
    // 300 blocks of ~1,470 bytes: most of them are on disk already, the rest wait for the flush.
    expect(onDisk()).toBeGreaterThan(300 * 1470 - 128 * 1024);
    evidence.flush();
    expect(onDisk()).toBeGreaterThan(300 * 1470);
    const file = join(dir, 'burst.pcapng');
    writeFileSync(file, evidence.slice(PHONE, T0, T0 + 1000)!);
    const lines = execFileSync('tcpdump', ['-r', file, '-n', '-A'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect([...lines.matchAll(/burst-(\d{3}):/g)].map((m) => Number(m[1]))).toEqual(Array.from({ length: 300 }, (_, i) => i));
  });

  it('says once when packets cannot be written, loses only those, and never throws into the capture', () => {
    const problems: string[] = [];
    const base = join(dir, 'unwritable');
    const evidence = new EvidenceRing({ dir: base, maxBytesPerDevice: 8 << 20, linkType: 1, snapLength: 65535, application: 'leakwatch test', onProblem: (p) => problems.push(p) });
    // A file where the phone's folder should be: every write for it fails, as on a broken card.
    writeFileSync(join(base, 'da-a1-19-3c-4e-01'), 'not a folder');
    for (let i = 0; i < 300; i++) evidence.packet(PHONE, at(i), udpFrame(`lost-${i}:${'z'.repeat(1400)}`));
    evidence.packet('other-device', at(1), udpFrame('kept'));
    evidence.flush();
    expect(problems).toEqual([expect.stringMatching(/^evidence: cannot write packets under .*da-a1-19-3c-4e-01 \((EEXIST|ENOTDIR)\): packets are not kept until writing works again$/)]);
    expect(evidence.slice('other-device', T0, T0 + 1000)).toBeDefined();
    rmSync(join(base, 'da-a1-19-3c-4e-01'));
    evidence.packet(PHONE, at(500), udpFrame('back'));
    evidence.flush();
    expect(problems.at(-1)).toBe(`evidence: writing packets under ${join(base, 'da-a1-19-3c-4e-01')} works again`);
    expect([...blocksOf(evidence.slice(PHONE, T0, T0 + 1000)!)].filter((b) => b.type === BLOCK.enhancedPacket)).toHaveLength(1);
  });

  it('keeps at most its limit per device on disk, dropping the oldest packets first', () => {
    const evidence = ring('bounded', 256 * 1024, 64 * 1024);
    const padding = 'x'.repeat(1000);
    for (let i = 0; i < 1000; i++) {
      evidence.packet(PHONE, at(i), udpFrame(`${i}:${padding}`));
      if (i % 50 === 0) evidence.flush();
    }
    evidence.flush();
    const folder = join(dir, 'bounded', 'da-a1-19-3c-4e-01');
    const bytes = readdirSync(folder).reduce((sum, f) => sum + statSync(join(folder, f)).size, 0);
    expect(bytes).toBeLessThanOrEqual(256 * 1024 + 64 * 1024);
    expect(bytes).toBeGreaterThan(128 * 1024);
    const kept = [...blocksOf(evidence.slice(PHONE, T0, T0 + 1000)!)].filter((b) => b.type === BLOCK.enhancedPacket);
    expect(kept.length).toBeLessThan(1000);
    expect(kept.at(-1)!.bytes.includes(Buffer.from('999:'))).toBe(true);
    expect(kept[0]!.bytes.includes(Buffer.from('0:x'))).toBe(false);
  });

  it('drops segments older than the retention age, for devices not seen this run too', () => {
    const first = ring('prune');
    first.packet(PHONE, at(0), udpFrame('old news'));
    first.packet('10.42.0.99', at(0), udpFrame('another device'));
    first.flush();
    const old = new Date(T0 - 100 * 24 * 3600 * 1000);
    for (const folder of readdirSync(join(dir, 'prune'))) for (const f of readdirSync(join(dir, 'prune', folder))) utimesSync(join(dir, 'prune', folder, f), old, old);
    const second = ring('prune');
    second.packet(PHONE, at(1000), udpFrame('fresh'));
    second.flush();
    expect(second.prune(T0 - 90 * 24 * 3600 * 1000)).toBe(2);
    const slice = second.slice(PHONE, T0 - 1000, T0 + 2000)!;
    expect(slice.includes(Buffer.from('fresh'))).toBe(true);
    expect(slice.includes(Buffer.from('old news'))).toBe(false);
    expect(second.slice('10.42.0.99', T0 - 1000, T0 + 2000)).toBeUndefined();
  });

  it('finds the segments of an earlier run, and skips a block torn by a crash', () => {
    const first = ring('restart');
    first.packet(PHONE, at(0), udpFrame('before the crash'));
    first.flush();
    const folder = join(dir, 'restart', 'da-a1-19-3c-4e-01');
    appendFileSync(join(folder, readdirSync(folder)[0]!), Buffer.from([6, 0, 0, 0, 200, 0, 0, 0, 1, 2, 3]));
    const second = ring('restart');
    second.packet(PHONE, at(500), udpFrame('after the restart'));
    const slice = second.slice(PHONE, T0 - 1000, T0 + 1000)!;
    expect([...blocksOf(slice)].filter((b) => b.type === BLOCK.enhancedPacket)).toHaveLength(2);
    expect(slice.includes(Buffer.from('before the crash'))).toBe(true);
    expect(slice.includes(Buffer.from('after the restart'))).toBe(true);
    expect(readdirSync(folder)).toHaveLength(2);
  });
});
