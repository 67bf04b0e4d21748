import { readFile } from 'node:fs/promises';
import si from 'systeminformation';

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

/** Reads the machine's health now; `dataDir` picks the disk that matters (where the database is). */
export async function readHealth(dataDir: string): Promise<Health> {
  const [load, temp, mem, fs, nets, throttled] = await Promise.all([si.currentLoad(), si.cpuTemperature(), si.mem(), si.fsSize(), si.networkStats('*'), throttling()]);
  const disk = fs.filter((f) => dataDir.startsWith(f.mount)).sort((a, b) => b.mount.length - a.mount.length)[0] ?? fs[0];
  return {
    time: new Date().toISOString(),
    uptimeSeconds: Math.round(si.time().uptime),
    cpu: { loadPercent: Math.round(load.currentLoad * 10) / 10, temperatureC: typeof temp.main === 'number' ? temp.main : null },
    throttled,
    memory: { totalBytes: mem.total, availableBytes: mem.available },
    disk: disk ? { mount: disk.mount, sizeBytes: disk.size, usedBytes: disk.used } : null,
    interfaces: nets.map((n) => ({ name: n.iface, rxBytes: n.rx_bytes, txBytes: n.tx_bytes })),
  };
}
