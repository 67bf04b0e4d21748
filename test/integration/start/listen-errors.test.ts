/**
 * A listener that cannot open stops `leakwatch start` with the setting to change and exit status 2
 * — after stopping what already ran (MQTT, the embedded broker), so the process really exits and
 * systemd sees the failure instead of a hung service.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LeakwatchProcess } from '../../support/leakwatch-process.js';
import { freePort } from '../../support/ports.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-listen-'));
const held: Server[] = [];
afterAll(() => held.forEach((s) => s.close()));

/** Another program's listener on a port. */
async function occupied(): Promise<number> {
  const port = await freePort();
  const server = createServer();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  held.push(server);
  return port;
}

async function startWith(settings: Record<string, unknown>) {
  const config = join(dir, `c${Math.random().toString(36).slice(2)}.json`);
  const defaults = { dataDir: join(dir, 'data'), proxy: { port: await freePort() }, api: { port: await freePort(), httpsPort: await freePort(), password: 'test-password' } };
  writeFileSync(config, JSON.stringify({ ...defaults, ...settings }));
  return LeakwatchProcess.failure(['--config', config]);
}

describe('leakwatch start when a listener cannot open', () => {
  it('names proxy.port when another program holds it, and exits 2 with the embedded broker already running', async () => {
    const port = await occupied();
    const result = await startWith({ proxy: { port }, mqtt: { embedded: { enabled: true, port: await freePort() } } });
    expect(result).toMatchObject({ code: 2, signal: null });
    expect(result.stderr).toContain(`leakwatch: proxy.port ${port} on 127.0.0.1: the port is in use by another program (EADDRINUSE): stop it`);
  });

  it('names mqtt.embedded.port when the embedded broker cannot listen', async () => {
    const port = await occupied();
    const result = await startWith({ mqtt: { embedded: { enabled: true, port } } });
    expect(result).toMatchObject({ code: 2, signal: null });
    expect(result.stderr).toContain(`leakwatch: mqtt.embedded.port ${port} on 127.0.0.1: the port is in use by another program (EADDRINUSE)`);
  });

  it('names api.host when the address is not on this machine (the hotspot not up yet)', async () => {
    const result = await startWith({ api: { host: '192.0.2.7', port: await freePort(), httpsPort: await freePort(), password: 'test-password' } });
    expect(result).toMatchObject({ code: 2, signal: null });
    expect(result.stderr).toContain('leakwatch: api.host 192.0.2.7 is not an address of this machine (EADDRNOTAVAIL): bring up the interface that has it (the hotspot) before leakwatch, or choose another api.host');
  });
});
