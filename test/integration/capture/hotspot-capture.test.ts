import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Flow } from '../../../appliance/src/model/index.js';
import { HotspotCapture } from '../../../appliance/src/sources/capture/hotspot-capture.js';
import { CaptureUnavailableError } from '../../../appliance/src/sources/capture/live-capture.js';
import { BLOCK, blocksOf } from '../../../appliance/src/sources/capture/pcapng-blocks.js';

// 10.213.0.0/24, not a subnet any other test uses: the installer's tests check the machine's own
// routes for overlaps with their hotspot (10.77.0.0/24) while this runs beside them.
// A veth pair stands for the hotspot: `lwc<pid>a` is the appliance's side (in this namespace, where
// the capture runs), its peer in a namespace of its own is the phone. Traffic stays on the pair.
const id = `lwc${process.pid % 100000}`;
const applianceSide = `${id}a`;
const phoneSide = `${id}p`;
const ns = `${id}-phone`;
const dir = mkdtempSync(join(tmpdir(), 'lw-capture-'));
const root = process.getuid?.() === 0;
const execFileAsync = promisify(execFile);
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
const inPhone = (...args: string[]) => execFileSync('ip', ['netns', 'exec', ns, ...args], { encoding: 'utf8', stdio: 'pipe' });
// A server "on the internet": routed through the appliance, local to this namespace by a route of
// type local only (not an address of any interface), so capture takes it for someone else's.
const SERVER = '10.78.0.5';
let phoneMac = '';
const flows: Flow[] = [];
const problems: string[] = [];

/** Capture as leakwatch starts it on the Pi: HTTP to port 80 is the proxy's (transparent redirect). */
function open(evidence: string, iface = applianceSide, bufferBytes?: number): HotspotCapture {
  return new HotspotCapture({
    interface: iface, evidenceDir: join(dir, evidence), maxBytesPerDevice: 1 << 20, application: 'leakwatch test', maxBodyBytes: 1 << 20, ...(bufferBytes ? { bufferBytes } : {}),
    proxiedPorts: [80, 443], onFlow: (flow) => flows.push(flow), onProblem: (p) => problems.push(p),
  });
}

async function waitFor(done: () => boolean, ms = 4000): Promise<void> {
  for (const until = Date.now() + ms; !done() && Date.now() < until;) await new Promise((r) => setTimeout(r, 50));
}

beforeAll(() => {
  if (!root) return;
  ip('netns', 'add', ns);
  ip('link', 'add', applianceSide, 'type', 'veth', 'peer', 'name', phoneSide);
  ip('link', 'set', phoneSide, 'netns', ns);
  ip('addr', 'add', '10.213.0.1/24', 'dev', applianceSide);
  ip('link', 'set', applianceSide, 'up');
  inPhone('ip', 'addr', 'add', '10.213.0.2/24', 'dev', phoneSide);
  inPhone('ip', 'link', 'set', phoneSide, 'up');
  inPhone('ip', 'route', 'add', '10.78.0.0/24', 'via', '10.213.0.1');
  ip('route', 'add', 'local', `${SERVER}/32`, 'dev', 'lo', 'table', 'local');
  phoneMac = inPhone('cat', `/sys/class/net/${phoneSide}/address`).trim();
});

afterAll(() => {
  if (!root) return;
  ip('route', 'del', 'local', `${SERVER}/32`, 'dev', 'lo', 'table', 'local');
  try {
    ip('link', 'del', applianceSide);
  } catch {
    // gone with the namespace already
  }
  ip('netns', 'del', ns);
});

describe.skipIf(!root)('live capture on the hotspot interface (node-pcap on a veth pair)', () => {
  it('keeps each device its own packets and TLS keys, counts its destinations, and slices them as pcapng', async () => {
    const capture = open('evidence');
    try {
      const before = Date.now();
      inPhone('busybox', 'ping', '-c', '3', '-i', '0.2', '-s', '100', '10.213.0.1');
      capture.tlsKey(phoneMac, 'CLIENT_RANDOM 00112233 44556677');
      await new Promise((r) => setTimeout(r, 300));
      const traffic = capture.traffic(phoneMac);
      expect(traffic[0]).toMatchObject({ peer: '10.213.0.1', packetsOut: 3, packetsIn: 3 });
      expect(traffic[0]!.bytesOut).toBeGreaterThanOrEqual(3 * 142);

      const slice = await capture.slice({ device: phoneMac, from: before, to: Date.now(), ips: ['10.213.0.1'] });
      expect(slice.status).toBe('captured');
      if (slice.status !== 'captured') return;
      const blocks = [...blocksOf(Buffer.from(slice.file))];
      expect(blocks.filter((b) => b.type === BLOCK.decryptionSecrets)).toHaveLength(1);
      const file = join(dir, 'slice.pcapng');
      writeFileSync(file, slice.file);
      const lines = execFileSync('tcpdump', ['-r', file, '-n', 'icmp'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
      expect(lines.filter((l) => l.includes('10.213.0.2 > 10.213.0.1: ICMP echo request'))).toHaveLength(3);
      expect(lines.filter((l) => l.includes('10.213.0.1 > 10.213.0.2: ICMP echo reply'))).toHaveLength(3);

      expect(await capture.slice({ device: 'aa:bb:cc:00:00:01', from: before, to: Date.now(), ips: [] })).toMatchObject({ status: 'not captured', reason: expect.stringContaining('capture.maxBytesPerDevice') });
      expect(capture.stats()).toMatchObject({ dropped: 0 });
      expect(capture.stats().received).toBeGreaterThanOrEqual(6);
    } finally {
      capture.close();
    }
  });

  it('says when the kernel drops packets because leakwatch read too slowly, with the setting to raise', async () => {
    problems.length = 0;
    const capture = open('drops', applianceSide, 1 << 20);
    // The phone pings as fast as answers come (thousands of full-size packets a second) while this
    // thread, which reads the capture, is busy: the 1 MiB ring fills and the kernel drops the rest.
    const flood = execFileAsync('ip', ['netns', 'exec', ns, 'busybox', 'ping', '-A', '-q', '-s', '1400', '-w', '3', '10.213.0.1']).catch(() => undefined);
    try {
      await new Promise((r) => setTimeout(r, 300));
      const busyUntil = Date.now() + 1500;
      while (Date.now() < busyUntil) {
        // busy, as a long stall of the proxy's thread would be
      }
      await flood;
      await waitFor(() => problems.some((p) => p.includes('dropped')));
      expect(capture.stats().dropped).toBeGreaterThan(0);
      const said = problems.find((p) => p.includes('dropped'))!;
      expect(said).toMatch(/^capture: the kernel dropped \d+ captured packets? \(\d+ of \d+ since capture began\) because its ring was full: .*raise capture\.bufferBytes \(now 1 MiB\)$/);
      expect(problems.filter((p) => p.includes('dropped'))).toHaveLength(1);
    } finally {
      capture.close();
      problems.length = 0;
    }
  });

  it('makes flows of plain HTTP on ports the proxy does not see, and leaves port 80 to the proxy', async () => {
    const answer = (req: IncomingMessage, res: ServerResponse) => req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"code":0}'));
    const servers = await Promise.all([8099, 80].map((port) => new Promise<Server>((resolve) => {
      const server = createServer(answer);
      server.listen(port, SERVER, () => resolve(server));
    })));
    const capture = open('http');
    try {
      // Asynchronously: the servers answering are in this process.
      for (const port of [8099, 80]) {
        const { stdout } = await execFileAsync('ip', ['netns', 'exec', ns, 'curl', '-sS', '--max-time', '5', '-A', 'okhttp/4.9.3', '--data', `u=https%3A%2F%2Fnews.example%2Fa&port=${port}`, `http://${SERVER}:${port}/collect?x=1`]);
        expect(stdout).toBe('{"code":0}');
      }
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      capture.close();
      for (const s of servers) s.close();
    }
    expect(flows.map((f) => [f.url, f.source, f.method, f.device, Buffer.from(f.body).toString(), f.response?.status])).toEqual([
      [`http://${SERVER}:8099/collect?x=1`, 'capture', 'POST', '10.213.0.2', 'u=https%3A%2F%2Fnews.example%2Fa&port=8099', 200],
    ]);
    expect(problems).toEqual([]);
  });

  it('records TLS on a port the proxy does not intercept by its server name and the client JA4', async () => {
    const tlsServer = createNetServer((socket) => socket.once('data', () => socket.destroy()));
    await new Promise<void>((resolve) => tlsServer.listen(9443, SERVER, () => resolve()));
    flows.length = 0;
    const capture = open('tls');
    try {
      await execFileAsync('ip', ['netns', 'exec', ns, 'curl', '-sk', '--max-time', '3', '--resolve', `push.example:9443:${SERVER}`, 'https://push.example:9443/']).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      capture.close();
      tlsServer.close();
    }
    expect(flows).toEqual([expect.objectContaining({
      method: 'CONNECT', url: 'https://push.example:9443/', device: '10.213.0.2', source: 'capture',
      destination: { host: 'push.example', ip: SERVER, port: 9443 }, tls: { decryption: 'passthrough', ja4: expect.stringMatching(/^t13d/) },
    })]);
  });

  it("makes no flow and keeps no packet of a phone's TCP to the appliance itself (its page, the admin login), on any port", async () => {
    const server = createServer((req, res) => req.resume().on('end', () => res.writeHead(200).end('{"ok":true}')));
    await new Promise<void>((resolve) => server.listen(8098, '10.213.0.1', () => resolve()));
    flows.length = 0;
    const capture = open('own');
    const before = Date.now();
    try {
      const { stdout } = await execFileAsync('ip', ['netns', 'exec', ns, 'curl', '-sS', '--max-time', '5', '--data', '{"password":"hunter2"}', 'http://10.213.0.1:8098/api/login']);
      expect(stdout).toBe('{"ok":true}');
      await execFileAsync('ip', ['netns', 'exec', ns, 'busybox', 'ping', '-c', '1', '10.213.0.1']);
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      capture.close();
      server.close();
    }
    expect(flows).toEqual([]);
    const slice = await capture.slice({ device: phoneMac, from: before, to: Date.now(), ips: ['10.213.0.1'] });
    if (slice.status !== 'captured') throw new Error(`no slice: ${slice.reason}`);
    const file = join(dir, 'own.pcapng');
    writeFileSync(file, slice.file);
    const lines = execFileSync('tcpdump', ['-r', file, '-n'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n').filter(Boolean);
    expect(lines.some((l) => l.includes('ICMP echo request'))).toBe(true);
    expect(lines.filter((l) => l.includes('.8098'))).toEqual([]);
  });

  it('refuses an interface that does not exist, saying how to find the right one', () => {
    expect(() => open('none', 'lw-no-such0')).toThrow(CaptureUnavailableError);
    expect(() => open('none', 'lw-no-such0')).toThrow(/lw-no-such0.*ip -br link/);
  });
});
