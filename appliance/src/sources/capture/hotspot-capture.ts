import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import type { PcapSlice, PcapSliceProvider, PcapSliceRequest } from '../../export/pcap-slice.js';
import { frameParties } from './ethernet-frame.js';
import { EvidenceRing } from './evidence-ring.js';
import { CaptureUnavailableError, DEFAULT_CAPTURE_BUFFER_BYTES, LiveCapture } from './live-capture.js';
import type { CaptureStats } from './live-capture.js';
import { DropWatch } from './drop-watch.js';
import type { Flow, TlsConnectionSeen } from '../../model/index.js';
import { PacketFlows } from '../packets/packet-flows.js';
import { DnsLookups } from './dns-lookups.js';
import type { DnsLookup } from './dns-lookups.js';
import { TrafficCounters } from './traffic-counters.js';
import { LocalAddresses } from '../../system/local-addresses.js';
import type { PeerTraffic } from './traffic-counters.js';

export interface HotspotCaptureOptions {
  interface: string;
  /** Where the rolling evidence lives (`<dataDir>/evidence`). */
  evidenceDir: string;
  maxBytesPerDevice: number;
  /** The kernel's capture ring (capture.bufferBytes); DEFAULT_CAPTURE_BUFFER_BYTES when absent. */
  bufferBytes?: number;
  filter?: string;
  /** Seconds of packets kept around an alert's requests in its slice. */
  sliceMarginSeconds?: number;
  application: string;
  /** Request bodies copied for the detector, at most (as the proxy's maxInspectBytes). */
  maxBodyBytes: number;
  /**
   * Server ports the proxy already sees (80 and 443 under the transparent redirect): their
   * requests and TLS connections are not made into flows twice. Their packets are still kept as evidence.
   */
  proxiedPorts: readonly number[];
  /** Plain HTTP on any other port, reassembled from the packets. */
  onFlow: (flow: Flow) => void;
  onProblem: (message: string) => void;
}

/**
 * The interface's own MAC: frames from it are the appliance's, frames to it are a device's. Read
 * from sysfs, which knows an interface before it has an IP address (networkInterfaces() does not).
 */
function macOf(name: string): string {
  let mac: string | undefined;
  try {
    mac = /^[\da-f]{2}(:[\da-f]{2}){5}$/.exec(readFileSync(`/sys/class/net/${name}/address`, 'utf8').trim())?.[0];
  } catch {
    mac = networkInterfaces()[name]?.find((a) => a.mac)?.mac;
  }
  if (mac === '00:00:00:00:00:00') mac = undefined;
  if (!mac) throw new CaptureUnavailableError(`cannot capture on ${name}: it has no MAC address here (is it up? ip -br link)`);
  return mac;
}

/**
 * Live capture on the hotspot interface: plain HTTP on ports the proxy does not see made into
 * flows, every frame counted per device and destination, and kept
 * in the device's rolling evidence with the TLS keys of its intercepted connections, so an
 * alert's bundle carries the packets around it (PcapSliceProvider).
 */
export class HotspotCapture implements PcapSliceProvider {
  private readonly counters = new TrafficCounters();
  private readonly lookups = new DnsLookups();
  /** Client IP → MAC, from the frames themselves: DNS answers are addressed to an IP. */
  private readonly macOfIp = new Map<string, string>();
  private readonly decoder: PacketFlows;
  private readonly capture: LiveCapture;
  private readonly ring: EvidenceRing;
  private readonly flushTimer: NodeJS.Timeout;

  constructor(private readonly options: HotspotCaptureOptions) {
    const applianceMac = macOf(options.interface);
    const bufferBytes = options.bufferBytes ?? DEFAULT_CAPTURE_BUFFER_BYTES;
    this.capture = new LiveCapture({ interface: options.interface, bufferBytes, ...(options.filter ? { filter: options.filter } : {}) });
    this.ring = new EvidenceRing({
      dir: options.evidenceDir, maxBytesPerDevice: options.maxBytesPerDevice, linkType: this.capture.linkType, snapLength: this.capture.snapLength,
      interfaceName: options.interface, application: options.application, onProblem: (message) => options.onProblem(`capture: ${message}`),
    });
    const runId = Date.now().toString(36);
    let tlsCount = 0;
    this.decoder = new PacketFlows({
      idPrefix: `capture:${runId}`,
      maxBodyBytes: options.maxBodyBytes,
      onFlow: (flow) => {
        if (!options.proxiedPorts.includes(flow.destination.port)) options.onFlow({ ...flow, source: 'capture' });
      },
      // TLS to 443 is the proxy's (redirected); on any other port it goes by untouched, named by SNI.
      onTlsConnection: (seen) => {
        if (!options.proxiedPorts.includes(seen.port)) options.onFlow(uninterceptedTlsFlow(`capture:${runId}:tls-${++tlsCount}`, seen));
      },
      onProblem: (at, reason) => options.onProblem(`capture: ${at}: ${reason}`),
      onDnsAnswer: (client, message, time) => this.lookups.add(this.macOfIp.get(client) ?? client, message, time),
    });
    const linkType = this.capture.linkType;
    const own = new LocalAddresses();
    this.capture.on('packet', (packet) => {
      const time = Number(packet.timeMicros / 1000n);
      const parties = frameParties(packet.data, applianceMac);
      if (parties?.direction === 'to-device' && parties.deviceIp) this.macOfIp.set(parties.deviceIp, parties.device);
      // A phone's TCP to the appliance itself (its page and API, the admin login with its password)
      // is not its browsing: never made into flows, never kept as evidence. DNS stays (port 53):
      // its answers name the servers.
      const toAppliance = parties?.peerTcpPort !== undefined && parties.peerTcpPort !== 53 && own.has(parties.peer, time);
      // Decoded after the MAC is learnt, so a DNS answer in this very frame goes to the right device.
      // Connections the proxy handles (most of a phone's traffic) are not reassembled a second time.
      const proxied = parties?.peerTcpPort !== undefined && options.proxiedPorts.includes(parties.peerTcpPort);
      // node-pcap's reused buffer as it is: the decoder copies what it keeps (it reads pcap files
      // from views of large read buffers the same way).
      if (!proxied && !toAppliance) this.decoder.packet({ time, linkType, data: packet.data, originalLength: packet.originalLength });
      if (!parties) return;
      if (!toAppliance) this.ring.packet(parties.device, packet.timeMicros, packet.data, packet.originalLength);
      this.counters.add(parties, packet.originalLength, time);
    });
    const drops = new DropWatch(bufferBytes);
    this.flushTimer = setInterval(() => {
      this.ring.flush();
      const dropped = drops.check(this.capture.stats(), Date.now());
      if (dropped) options.onProblem(`capture: ${dropped}`);
    }, 1000);
    this.flushTimer.unref();
  }

  /** A TLS key of a connection the proxy intercepted for `device` (its MAC). */
  tlsKey(device: string, keyLogLine: string): void {
    this.ring.tlsKey(device, keyLogLine);
  }

  /** What a device talked to: bytes and packets per peer, named from the DNS answers it got. */
  traffic(device: string): PeerTraffic[] {
    return this.counters.of(device, (ip) => this.decoder.nameOf(ip));
  }

  /** The devices whose packets were counted. */
  devices(): string[] {
    return this.counters.deviceIds();
  }

  /** The names a device looked up, most recent first. */
  dnsLookups(device: string): DnsLookup[] {
    return this.lookups.of(device);
  }

  /** Drops evidence segments last written before `cutoffMs`; returns how many. */
  prune(cutoffMs: number): number {
    return this.ring.prune(cutoffMs);
  }

  /** Packets captured and dropped since capture began (the kernel's counters). */
  stats(): CaptureStats {
    return this.capture.stats();
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
    this.decoder.finish();
    this.ring.flush();
  }
}

/** A TLS connection on a port the proxy does not see: who it went to (SNI) and the client's JA4, no content. */
function uninterceptedTlsFlow(id: string, seen: TlsConnectionSeen): Flow {
  return {
    id, device: seen.device, time: seen.time, method: 'CONNECT', url: `https://${seen.host.includes(':') ? `[${seen.host}]` : seen.host}:${seen.port}/`,
    headers: [], body: new Uint8Array(), destination: { host: seen.host, ip: seen.ip, port: seen.port }, source: 'capture', initiator: {},
    tls: { decryption: 'passthrough', ...(seen.ja4 ? { ja4: seen.ja4 } : {}) },
  };
}
