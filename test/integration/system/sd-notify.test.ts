import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceLifecycle } from '../../../appliance/src/commands/service-lifecycle.js';
import { systemdNotifier, watchdogIntervalMs } from '../../../appliance/src/system/sd-notify.js';
import { LeakwatchProcess } from '../../support/leakwatch-process.js';
import { NotifySocket } from '../../support/notify-socket.js';
import { freePort } from '../../support/ports.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-sdnotify-'));
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** True when something accepts a TCP connection on the port right now. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(true)).once('error', () => resolve(false));
    socket.once('connect', () => socket.destroy());
  });
}

async function configFile(): Promise<{ path: string; proxyPort: number; apiPort: number }> {
  const [proxyPort, apiPort] = [await freePort(), await freePort()];
  const path = join(dir, `leakwatch-${proxyPort}.json`);
  writeFileSync(path, JSON.stringify({ dataDir: join(dir, `data-${proxyPort}`), proxy: { port: proxyPort }, api: { port: apiPort, httpsPort: await freePort(), password: 'test-password' } }));
  return { path, proxyPort, apiPort };
}

describe('leakwatch start under systemd (sd_notify through libsystemd)', () => {
  it('says READY=1 only once the proxy and the API listen, WATCHDOG=1 every half period, STOPPING=1 on SIGTERM, and exits 0', async () => {
    const socket = await NotifySocket.bind(join(dir, 'notify.sock'));
    cleanups.push(() => socket.close());
    const { path, proxyPort, apiPort } = await configFile();
    const leakwatch = await LeakwatchProcess.start(['--config', path], { NOTIFY_SOCKET: socket.address, WATCHDOG_USEC: '300000' });
    cleanups.push(() => leakwatch.stop('SIGKILL'));

    const ready = await socket.next('READY=1');
    // Checked the moment READY arrived: both ports already answer.
    expect([await accepts(proxyPort), await accepts(apiPort)]).toEqual([true, true]);
    expect(ready.state).toBe(`READY=1\nSTATUS=proxy on 127.0.0.1:${proxyPort}, web page on http://127.0.0.1:${apiPort}/`);
    expect(socket.messages[0]!.state).toMatch(/^READY=1/);

    await new Promise((r) => setTimeout(r, 1000));
    const pings = socket.messages.filter((m) => m.state === 'WATCHDOG=1');
    expect(pings.length).toBeGreaterThanOrEqual(3); // every 150 ms for a second, on a busy machine
    expect(pings.every((m) => m.at >= ready.at)).toBe(true);

    const before = socket.messages.length;
    expect(await leakwatch.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    await socket.next('STOPPING=1', before);
    expect(leakwatch.stderr).not.toMatch(/sd_notify|libsystemd/);
  });

  it('reaches an abstract socket (NOTIFY_SOCKET=@name)', async () => {
    const socket = await NotifySocket.bind(`@leakwatch-test-${process.pid}-${Date.now()}`);
    cleanups.push(() => socket.close());
    const { path } = await configFile();
    const leakwatch = await LeakwatchProcess.start(['--config', path], { NOTIFY_SOCKET: socket.address });
    cleanups.push(() => leakwatch.stop('SIGKILL'));
    await socket.next('READY=1');
    expect(await leakwatch.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    await socket.next('STOPPING=1');
    // No WATCHDOG_USEC, no pings.
    expect(socket.messages.map((m) => m.state.split('\n')[0])).toEqual(['READY=1', 'STOPPING=1']);
  });
});

describe('systemdNotifier', () => {
  const saved = process.env.NOTIFY_SOCKET;
  afterEach(() => {
    if (saved === undefined) delete process.env.NOTIFY_SOCKET;
    else process.env.NOTIFY_SOCKET = saved;
  });

  it('is a silent no-op without NOTIFY_SOCKET, even when libsystemd is missing', () => {
    delete process.env.NOTIFY_SOCKET;
    const problems: string[] = [];
    systemdNotifier((m) => problems.push(m), 'libsystemd-absent.so.0').notify('READY=1');
    expect(problems).toEqual([]);
  });

  it('says once on stderr that libsystemd is missing, and never throws', () => {
    process.env.NOTIFY_SOCKET = join(dir, 'nobody.sock');
    const problems: string[] = [];
    const notifier = systemdNotifier((m) => problems.push(m), 'libsystemd-absent.so.0');
    notifier.notify('READY=1');
    notifier.notify('WATCHDOG=1');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/NOTIFY_SOCKET is set but libsystemd-absent\.so\.0 cannot be loaded .*install libsystemd0/);
  });

  it('says once that a send failed when nothing listens on NOTIFY_SOCKET', () => {
    process.env.NOTIFY_SOCKET = join(dir, 'nobody.sock');
    const problems: string[] = [];
    const notifier = systemdNotifier((m) => problems.push(m));
    notifier.notify('READY=1');
    notifier.notify('WATCHDOG=1');
    expect(problems).toEqual([expect.stringMatching(/sd_notify to NOTIFY_SOCKET=.*nobody\.sock failed \(errno \d+\)/)]);
  });
});

describe('watchdogIntervalMs', () => {
  it.each([
    [{ WATCHDOG_USEC: '30000000' }, 15_000],
    [{ WATCHDOG_USEC: '30000000', WATCHDOG_PID: String(process.pid) }, 15_000],
    [{ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '1' }, undefined], // meant for another process
    [{}, undefined],
    [{ WATCHDOG_USEC: '0' }, undefined],
    [{ WATCHDOG_USEC: 'soon' }, undefined],
  ])('%j → %s ms', (env, expected) => {
    expect(watchdogIntervalMs(env)).toBe(expected);
  });
});

describe('the watchdog and a stuck inspection thread', () => {
  it('stops the pings while the thread is stuck, says so once, and pings again when it recovers', async () => {
    const socket = await NotifySocket.bind(join(dir, 'watchdog.sock'));
    const saved = { socket: process.env.NOTIFY_SOCKET, usec: process.env.WATCHDOG_USEC };
    process.env.NOTIFY_SOCKET = socket.address;
    process.env.WATCHDOG_USEC = '100000'; // a ping every 50 ms
    const stderr = new PassThrough();
    const said: string[] = [];
    stderr.on('data', (c: Buffer) => said.push(String(c)));
    const lifecycle = new ServiceLifecycle({ stdout: new PassThrough(), stderr });
    let problem: string | undefined;
    try {
      lifecycle.ready('test', () => problem);
      const pings = () => socket.messages.filter((m) => m.state === 'WATCHDOG=1').length;
      await new Promise((r) => setTimeout(r, 300));
      const healthy = pings();
      expect(healthy).toBeGreaterThanOrEqual(3);
      problem = 'the inspection thread has taken no flow for 61 s while 2 wait';
      // Long enough for a ping sent just before to have come through the receiver.
      await new Promise((r) => setTimeout(r, 250));
      const whenStuck = pings();
      await new Promise((r) => setTimeout(r, 300));
      expect(pings()).toBe(whenStuck);
      expect(said).toEqual(['leakwatch: the inspection thread has taken no flow for 61 s while 2 wait; no longer telling systemd WATCHDOG=1, so it restarts leakwatch\n']);
      problem = undefined;
      await new Promise((r) => setTimeout(r, 300));
      expect(pings()).toBeGreaterThan(whenStuck);
    } finally {
      await lifecycle.shutdown([]);
      socket.close();
      process.env.NOTIFY_SOCKET = saved.socket;
      process.env.WATCHDOG_USEC = saved.usec;
      if (saved.socket === undefined) delete process.env.NOTIFY_SOCKET;
      if (saved.usec === undefined) delete process.env.WATCHDOG_USEC;
    }
  });
});
