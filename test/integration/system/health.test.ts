import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHealth } from '../../../appliance/src/system/health.js';

describe('readHealth (on this machine)', () => {
  it('reports load, memory, the data disk, interfaces and uptime with sane values', async () => {
    const h = await readHealth(resolve('.'));
    expect(h.uptimeSeconds).toBeGreaterThan(0);
    expect(h.cpu.loadPercent).toBeGreaterThanOrEqual(0);
    expect(h.cpu.loadPercent).toBeLessThanOrEqual(100);
    expect(h.memory.availableBytes).toBeGreaterThan(0);
    expect(h.memory.availableBytes).toBeLessThanOrEqual(h.memory.totalBytes);
    expect(h.disk?.sizeBytes).toBeGreaterThan(0);
    expect(h.disk!.usedBytes).toBeLessThanOrEqual(h.disk!.sizeBytes);
    expect(resolve('.').startsWith(h.disk!.mount)).toBe(true);
    expect(h.interfaces.map((i) => i.name)).toContain('lo');
    const zones = existsSync('/sys/class/thermal') ? readdirSync('/sys/class/thermal').filter((z) => z.startsWith('thermal_zone')) : [];
    if (zones.length > 0) expect(h.cpu.temperatureC).toEqual(expect.any(Number));
    else expect(h.cpu.temperatureC).toBeNull();
  });

  it('never blocks the thread it runs on with a synchronous child process (it runs beside the proxy every minute)', () => {
    // In a process of its own, child_process patched before anything loads it (systeminformation
    // keeps its own references to the functions).
    const probe = `
      const cp = require('node:child_process');
      const calls = [];
      for (const name of ['execSync', 'spawnSync', 'execFileSync']) { const real = cp[name]; cp[name] = (...args) => (calls.push(name + ' ' + String(args[0]).slice(0, 60)), real(...args)); }
      import(${JSON.stringify(pathToFileURL(resolve('appliance/src/system/health.ts')).href)}).then(async ({ readHealth }) => {
        await readHealth(process.cwd());
        calls.length = 0;
        await readHealth(process.cwd());
        process.stdout.write(JSON.stringify(calls));
      });`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', probe], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([]);
  });
});
