import type { Health } from './health.js';

/** One minute of the appliance's health, as the settings view charts it. */
export interface HealthSample {
  time: number;
  loadPercent: number;
  temperatureC: number | null;
  memoryUsedPercent: number;
  diskUsedPercent: number | null;
  throttled: boolean;
}

/**
 * The last few hours of health samples, in memory (a restart starts a new history): enough for
 * "was it hot or throttled while I tested?" without writing to the SD card every minute.
 */
export class HealthHistory {
  private readonly samples: HealthSample[] = [];

  constructor(private readonly capacity = 6 * 60) {}

  add(health: Health): void {
    const { memory, disk } = health;
    this.samples.push({
      time: Date.parse(health.time),
      loadPercent: health.cpu.loadPercent,
      temperatureC: health.cpu.temperatureC,
      memoryUsedPercent: memory.totalBytes > 0 ? Math.round(((memory.totalBytes - memory.availableBytes) / memory.totalBytes) * 1000) / 10 : 0,
      diskUsedPercent: disk && disk.sizeBytes > 0 ? Math.round((disk.usedBytes / disk.sizeBytes) * 1000) / 10 : null,
      throttled: health.throttled?.throttled === true || health.throttled?.underVoltage === true,
    });
    if (this.samples.length > this.capacity) this.samples.shift();
  }

  /** Oldest first. */
  list(): HealthSample[] {
    return [...this.samples];
  }
}
