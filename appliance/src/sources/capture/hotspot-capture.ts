import { networkInterfaces } from 'node:os';
import type { PcapSlice, PcapSliceProvider, PcapSliceRequest } from '../../export/pcap-slice.js';
import { frameParties } from './ethernet-frame.js';
import { EvidenceRing } from './evidence-ring.js';
import { CaptureUnavailableError, LiveCapture } from './live-capture.js';
import { TrafficCounters } from './traffic-counters.js';

export interface HotspotCaptureOptions {
  interface: string;
  /** Where the rolling evidence lives (`<dataDir>/evidence`). */
  evidenceDir: string;
  maxBytesPerDevice: number;
  filter?: string;
  /** Seconds of packets kept around an alert's requests in its slice. */
  sliceMarginSeconds?: number;
  application: string;
}

/** The interface's own MAC: frames from it are the appliance's, frames to it are a device's. */
function macOf(name: string): string {
  const mac = networkInterfaces()[name]?.find((a) => a.mac && a.mac !== '00:00:00:00:00:00')?.mac;
  if (!mac) throw new CaptureUnavailableError(`cannot capture on ${name}: it has no MAC address here (is it up? ip -br link)`);
  return mac;
}

/**
 * Live capture on the hotspot interface: every frame counted per device and destination, and kept
 * in the device's rolling evidence with the TLS keys of its intercepted connections, so an
 * alert's bundle carries the packets around it (PcapSliceProvider).
 */
export class HotspotCapture implements PcapSliceProvider {
  readonly counters = new TrafficCounters();
  private readonly capture: LiveCapture;
  private readonly ring: EvidenceRing;
  private readonly flushTimer: NodeJS.Timeout;

  constructor(private readonly options: HotspotCaptureOptions) {
    const applianceMac = macOf(options.interface);
    this.capture = new LiveCapture({ interface: options.interface, ...(options.filter ? { filter: options.filter } : {}) });
    this.ring = new EvidenceRing({
      dir: options.evidenceDir, maxBytesPerDevice: options.maxBytesPerDevice, linkType: this.capture.linkType, snapLength: this.capture.snapLength,
      interfaceName: options.interface, application: options.application,
    });
    this.capture.on('packet', (packet) => {
      const parties = frameParties(packet.data, applianceMac);
      if (!parties) return;
      this.ring.packet(parties.device, packet.timeMicros, packet.data, packet.originalLength);
      this.counters.add(parties, packet.originalLength, Number(packet.timeMicros / 1000n));
    });
    this.flushTimer = setInterval(() => this.ring.flush(), 1000);
    this.flushTimer.unref();
  }

  /** A TLS key of a connection the proxy intercepted for `device` (its MAC). */
  tlsKey(device: string, keyLogLine: string): void {
    this.ring.tlsKey(device, keyLogLine);
  }

  dropped(): number {
    return this.capture.dropped();
  }

  async slice(request: PcapSliceRequest): Promise<PcapSlice> {
    const margin = (this.options.sliceMarginSeconds ?? 30) * 1000;
    const file = this.ring.slice(request.device, request.from - margin, request.to + margin);
    if (file) return { status: 'captured', file, extension: 'pcapng' };
    return {
      status: 'not captured',
      reason: `no packets of ${request.device} were kept around ${new Date(request.from).toISOString()}: the rolling evidence keeps the last ${Math.round(this.options.maxBytesPerDevice / 1048576)} MB per device (capture.maxBytesPerDevice), and a device known only by IP has no packets of its own`,
    };
  }

  close(): void {
    clearInterval(this.flushTimer);
    this.capture.close();
    this.ring.flush();
  }
}
