import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHealth } from '../../../appliance/src/system/health.js';

describe('readHealth (systeminformation, on this machine)', () => {
  it('reports load, memory, the data disk, interfaces and uptime with sane values', async () => {
    const h = await readHealth(resolve('.'));
    expect(h.uptimeSeconds).toBeGreaterThan(0);
    expect(h.cpu.loadPercent).toBeGreaterThanOrEqual(0);
    expect(h.cpu.loadPercent).toBeLessThanOrEqual(100);
    expect(h.memory.availableBytes).toBeGreaterThan(0);
    expect(h.memory.availableBytes).toBeLessThanOrEqual(h.memory.totalBytes);
    expect(h.disk?.sizeBytes).toBeGreaterThan(0);
    expect(resolve('.').startsWith(h.disk!.mount)).toBe(true);
    expect(h.interfaces.map((i) => i.name)).toContain('lo');
  });
});
