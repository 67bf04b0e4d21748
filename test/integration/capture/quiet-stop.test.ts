/**
 * A quiet hotspot (no phone sending anything) must not keep `leakwatch start` from stopping:
 * node-pcap's close only breaks its read loop, and the loop ends on the next packet — which on a
 * quiet interface never comes. SIGTERM ends the service within its grace whatever the traffic.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeakwatchProcess } from '../../support/leakwatch-process.js';
import { freePort } from '../../support/ports.js';
import { requirePrerequisites } from '../../support/prerequisites.js';

const quiet = `lwq${process.pid % 100000}`;
const dir = mkdtempSync(join(tmpdir(), 'lw-quiet-'));
// Root for a veth pair and live capture; under CI a missing one fails the run instead of skipping.
const unavailable = requirePrerequisites('the quiet-capture stop test', process.getuid?.() === 0 ? undefined : 'it needs root (a veth pair and live capture)');
const root = !unavailable;
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });

beforeAll(() => {
  if (!root) return;
  ip('link', 'add', quiet, 'type', 'veth', 'peer', 'name', `${quiet}p`);
  // No IPv6 either: nothing (router solicitations, DAD) is sent on the pair at all.
  for (const side of [quiet, `${quiet}p`]) {
    execFileSync('sysctl', ['-qw', `net.ipv6.conf.${side}.disable_ipv6=1`]);
    ip('link', 'set', side, 'up');
  }
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (root) ip('link', 'del', quiet);
});

describe.runIf(root)('stopping with live capture on a quiet interface', () => {
  it('SIGTERM stops leakwatch within its 5 s grace with exit 0, although no packet ever arrives', async () => {
    const before = Number(execFileSync('cat', [`/sys/class/net/${quiet}/statistics/rx_packets`], { encoding: 'utf8' }));
    const up = await LeakwatchProcess.start([], {
      LEAKWATCH_DATA_DIR: join(dir, 'data'), LEAKWATCH_CAPTURE_ENABLED: 'true', LEAKWATCH_CAPTURE_INTERFACE: quiet,
      LEAKWATCH_PROXY_PORT: String(await freePort()), LEAKWATCH_API_PORT: String(await freePort()), LEAKWATCH_API_HTTPS_PORT: String(await freePort()),
    });
    // Killed with SIGKILL (signal set, no code) if it has not exited 8 s after the SIGTERM.
    expect(await up.stop('SIGTERM', 8000)).toEqual({ code: 0, signal: null });
    expect(Number(execFileSync('cat', [`/sys/class/net/${quiet}/statistics/rx_packets`], { encoding: 'utf8' }))).toBe(before);
    expect(up.stderr).not.toMatch(/capture\.enabled/);
  });
});
