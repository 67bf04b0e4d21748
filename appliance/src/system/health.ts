import { readdir, readFile, realpath, statfs } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { uptime } from 'node:os';
import type { Systeminformation } from 'systeminformation';

// Only the two systeminformation modules used here: its index loads all forty, about 7 MB of the
// main thread's memory for code that never runs (measured: RSS +9 MB for the index, +2 MB for these).
const require = createRequire(import.meta.url);
const cpu = require('systeminformation/lib/cpu.js') as { currentLoad(): Promise<Systeminformation.CurrentLoadData> };
const memory = require('systeminformation/lib/memory.js') as { mem(): Promise<Systeminformation.MemData> };

/** What the appliance reports about itself: in the API and as a retained MQTT topic. */
export interface Health {
  time: string;
  uptimeSeconds: number;
  cpu: { loadPercent: number; temperatureC: number | null };
  /** Raspberry Pi firmware throttling flags (under-voltage, frequency capped, throttled), when readable. */
  throttled: { raw: string; underVoltage: boolean; throttled: boolean } | null;
  memory: { totalBytes: number; availableBytes: number };
  disk: { mount: string; sizeBytes: number; usedBytes: number } | null;
  interfaces: { name: string; rxBytes: number; txBytes: number }[];
}

const THROTTLED = '/sys/devices/platform/soc/soc:firmware/get_throttled';

async function throttling(): Promise<Health['throttled']> {
  try {
    const raw = (await readFile(THROTTLED, 'utf8')).trim();
    const flags = parseInt(raw, 16);
    return { raw, underVoltage: (flags & 0x1) !== 0, throttled: (flags & 0x4) !== 0 };
  } catch {
    return null;
  }
}

/**
 * The SoC or CPU temperature in °C from the kernel's thermal zones (the Pi's cpu-thermal, a PC's
 * x86_pkg_temp), or null. Read directly: systeminformation's cpuTemperature runs a synchronous shell
 * on every call, which would stall the proxy's thread.
 */
async function temperature(): Promise<number | null> {
  let zones: string[];
  try {
    zones = (await readdir('/sys/class/thermal')).filter((z) => z.startsWith('thermal_zone')).sort();
  } catch {
    return null;
  }
  const readings = await Promise.all(zones.map(async (zone) => {
    try {
      const [type, milli] = await Promise.all([readFile(`/sys/class/thermal/${zone}/type`, 'utf8'), readFile(`/sys/class/thermal/${zone}/temp`, 'utf8')]);
      return { type: type.trim(), celsius: Number(milli) / 1000 };
    } catch {
      return undefined;
    }
  }));
  const valid = readings.filter((r): r is { type: string; celsius: number } => r !== undefined && Number.isFinite(r.celsius) && r.celsius > -40);
  return (valid.find((r) => /cpu|soc|x86_pkg/i.test(r.type)) ?? valid[0])?.celsius ?? null;
}

/** The filesystem the data dir is on: its mount point (the longest mount that holds it) and statfs. */
async function dataDisk(dataDir: string): Promise<Health['disk']> {
  try {
    const [stats, mounts, real] = await Promise.all([statfs(dataDir), readFile('/proc/self/mounts', 'utf8'), realpath(dataDir)]);
    const mount = mounts.split('\n').map((line) => line.split(' ')[1]?.replace(/\\040/g, ' ')).filter((m): m is string => m !== undefined && (real === m || real.startsWith(m.endsWith('/') ? m : `${m}/`)))
      .sort((a, b) => b.length - a.length)[0] ?? '/';
    return { mount, sizeBytes: stats.blocks * stats.bsize, usedBytes: (stats.blocks - stats.bfree) * stats.bsize };
  } catch {
    return null;
  }
}

/** Bytes in and out of each network interface since boot, from /proc/net/dev. */
async function interfaces(): Promise<Health['interfaces']> {
  try {
    return (await readFile('/proc/net/dev', 'utf8')).split('\n').slice(2).flatMap((line) => {
      const m = /^\s*([^:\s]+):\s*(.*)$/.exec(line);
      if (!m) return [];
      const fields = m[2]!.trim().split(/\s+/).map(Number);
      return [{ name: m[1]!, rxBytes: fields[0] ?? 0, txBytes: fields[8] ?? 0 }];
    });
  } catch {
    return [];
  }
}

/**
 * Reads the machine's health now; `dataDir` picks the disk that matters (where the database is).
 * Nothing here blocks the thread: it runs beside the proxy once a minute.
 */
export async function readHealth(dataDir: string): Promise<Health> {
  const [load, celsius, mem, disk, nets, throttled] = await Promise.all([cpu.currentLoad(), temperature(), memory.mem(), dataDisk(dataDir), interfaces(), throttling()]);
  return {
    time: new Date().toISOString(),
    uptimeSeconds: Math.round(uptime()),
    cpu: { loadPercent: Math.round(load.currentLoad * 10) / 10, temperatureC: celsius === null ? null : Math.round(celsius * 10) / 10 },
    throttled,
    memory: { totalBytes: mem.total, availableBytes: mem.available },
    disk,
    interfaces: nets,
  };
}
