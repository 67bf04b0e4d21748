import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HotspotCapture } from '../../../appliance/src/sources/capture/hotspot-capture.js';
import { CaptureUnavailableError } from '../../../appliance/src/sources/capture/live-capture.js';
import { BLOCK, blocksOf } from '../../../appliance/src/sources/capture/pcapng-blocks.js';

// A veth pair stands for the hotspot: `lwc<pid>a` is the appliance's side (in this namespace, where
// the capture runs), its peer in a namespace of its own is the phone. Traffic stays on the pair.
const id = `lwc${process.pid % 100000}`;
const applianceSide = `${id}a`;
const phoneSide = `${id}p`;
const ns = `${id}-phone`;
const dir = mkdtempSync(join(tmpdir(), 'lw-capture-'));
const root = process.getuid?.() === 0;
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
const inPhone = (...args: string[]) => execFileSync('ip', ['netns', 'exec', ns, ...args], { encoding: 'utf8', stdio: 'pipe' });
let phoneMac = '';

beforeAll(() => {
  if (!root) return;
  ip('netns', 'add', ns);
  ip('link', 'add', applianceSide, 'type', 'veth', 'peer', 'name', phoneSide);
  ip('link', 'set', phoneSide, 'netns', ns);
  ip('addr', 'add', '10.77.0.1/24', 'dev', applianceSide);
  ip('link', 'set', applianceSide, 'up');
  inPhone('ip', 'addr', 'add', '10.77.0.2/24', 'dev', phoneSide);
  inPhone('ip', 'link', 'set', phoneSide, 'up');
  phoneMac = inPhone('cat', `/sys/class/net/${phoneSide}/address`).trim();
});

afterAll(() => {
  if (!root) return;
  try {
    ip('link', 'del', applianceSide);
  } catch {
    // gone with the namespace already
  }
  ip('netns', 'del', ns);
});

describe.skipIf(!root)('live capture on the hotspot interface (node-pcap on a veth pair)', () => {
  it('keeps each device its own packets and TLS keys, counts its destinations, and slices them as pcapng', async () => {
    const capture = new HotspotCapture({ interface: applianceSide, evidenceDir: join(dir, 'evidence'), maxBytesPerDevice: 1 << 20, application: 'leakwatch test' });
    try {
      const before = Date.now();
      inPhone('busybox', 'ping', '-c', '3', '-i', '0.2', '-s', '100', '10.77.0.1');
      capture.tlsKey(phoneMac, 'CLIENT_RANDOM 00112233 44556677');
      await new Promise((r) => setTimeout(r, 300));
      const traffic = capture.counters.of(phoneMac);
      expect(traffic[0]).toMatchObject({ peer: '10.77.0.1', packetsOut: 3, packetsIn: 3 });
      expect(traffic[0]!.bytesOut).toBeGreaterThanOrEqual(3 * 142);

      const slice = await capture.slice({ device: phoneMac, from: before, to: Date.now(), ips: ['10.77.0.1'] });
      expect(slice.status).toBe('captured');
      if (slice.status !== 'captured') return;
      const blocks = [...blocksOf(Buffer.from(slice.file))];
      expect(blocks.filter((b) => b.type === BLOCK.decryptionSecrets)).toHaveLength(1);
      const file = join(dir, 'slice.pcapng');
      writeFileSync(file, slice.file);
      const lines = execFileSync('tcpdump', ['-r', file, '-n', 'icmp'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
      expect(lines.filter((l) => l.includes('10.77.0.2 > 10.77.0.1: ICMP echo request'))).toHaveLength(3);
      expect(lines.filter((l) => l.includes('10.77.0.1 > 10.77.0.2: ICMP echo reply'))).toHaveLength(3);

      expect(await capture.slice({ device: 'aa:bb:cc:00:00:01', from: before, to: Date.now(), ips: [] })).toMatchObject({ status: 'not captured', reason: expect.stringContaining('capture.maxBytesPerDevice') });
      expect(capture.dropped()).toBe(0);
    } finally {
      capture.close();
    }
  });

  it('refuses an interface that does not exist, saying how to find the right one', () => {
    expect(() => new HotspotCapture({ interface: 'lw-no-such0', evidenceDir: join(dir, 'none'), maxBytesPerDevice: 1 << 20, application: 'leakwatch test' })).toThrow(CaptureUnavailableError);
    expect(() => new HotspotCapture({ interface: 'lw-no-such0', evidenceDir: join(dir, 'none'), maxBytesPerDevice: 1 << 20, application: 'leakwatch test' })).toThrow(/lw-no-such0.*ip -br link/);
  });
});
