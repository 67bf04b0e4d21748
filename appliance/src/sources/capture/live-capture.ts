import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';

/** libpcap's link types as node-pcap names them, to the numbers pcapng files carry. */
const LINK_TYPES: Record<string, number> = { LINKTYPE_NULL: 0, LINKTYPE_ETHERNET: 1, LINKTYPE_RAW: 101, LINKTYPE_LINUX_SLL: 113, LINKTYPE_IEEE802_11_RADIO: 127 };

/** Live capture cannot start; the message says what to do. */
export class CaptureUnavailableError extends Error {}

export interface CapturedPacket {
  /** Microseconds since the epoch, from the kernel's timestamp. */
  timeMicros: bigint;
  /**
   * The captured bytes, in node-pcap's own buffer: valid during the `packet` event only (node-pcap
   * reuses it for the next packet), so whatever keeps them copies them. Most packets are only
   * counted and appended to the evidence, which copies them once.
   */
  data: Buffer;
  originalLength: number;
}

export interface CaptureStats {
  received: number;
  dropped: number;
}

/** The kernel ring's size unless capture.bufferBytes says otherwise (libpcap's own default is 2 MiB). */
export const DEFAULT_CAPTURE_BUFFER_BYTES = 4 * 1024 * 1024;

export interface LiveCaptureOptions {
  interface: string;
  /** A BPF filter (tcpdump syntax); empty for everything. */
  filter?: string;
  snapLength?: number;
  /**
   * The kernel's ring, resident while capture runs: it holds what arrives while leakwatch is busy.
   * 4 MiB is ~0.8 s of a Pi Zero 2 W's Wi-Fi at full speed; drops are counted (stats).
   */
  bufferBytes?: number;
}

interface PcapSession extends NodeJS.EventEmitter {
  link_type: string;
  close(): void;
  stats(): { ps_recv: number; ps_drop: number; ps_ifdrop: number };
}
interface PcapModule {
  createSession(device: string, options: { filter: string; buffer_size: number; snap_length: number; promiscuous: boolean; buffer_timeout: number }): PcapSession;
}

/** node-pcap is an optional dependency: it needs libpcap-dev to build, and `analyze` must work without it. */
function loadPcap(): PcapModule {
  try {
    return createRequire(import.meta.url)('pcap') as PcapModule;
  } catch (error) {
    throw new CaptureUnavailableError(`packet capture needs the pcap module, which did not load (${(error as Error).message.split('\n')[0]}): install libpcap-dev (apt-get install libpcap-dev), then run npm install again (pcap is an optional dependency, skipped when it cannot be built)`);
  }
}

/** Packets from one interface through libpcap (node-pcap), copied and timestamped, as `packet` events. */
export class LiveCapture extends EventEmitter<{ packet: [CapturedPacket] }> {
  readonly linkType: number;
  readonly snapLength: number;
  private readonly session: PcapSession;

  constructor(options: LiveCaptureOptions) {
    super();
    const pcap = loadPcap();
    this.snapLength = options.snapLength ?? 65535;
    try {
      this.session = pcap.createSession(options.interface, {
        filter: options.filter ?? '', buffer_size: options.bufferBytes ?? DEFAULT_CAPTURE_BUFFER_BYTES, snap_length: this.snapLength, promiscuous: false, buffer_timeout: 100,
      });
    } catch (error) {
      const message = (error as Error).message;
      const hint = /permission|not permitted/i.test(message)
        ? 'run leakwatch as root, or give node CAP_NET_RAW and CAP_NET_ADMIN (the systemd unit does)'
        : /no such device|doesn't exist/i.test(message) ? `check capture.interface (the interfaces here: ip -br link)` : 'check capture.interface and capture.filter';
      throw new CaptureUnavailableError(`cannot capture on ${options.interface}: ${message}; ${hint}`);
    }
    const linkType = LINK_TYPES[this.session.link_type];
    if (linkType === undefined) {
      this.session.close();
      throw new CaptureUnavailableError(`cannot capture on ${options.interface}: libpcap reports ${this.session.link_type}, which leakwatch does not read; capture on the hotspot's own interface (Ethernet framing)`);
    }
    this.linkType = linkType;
    this.session.on('packet', (raw: { buf: Buffer; header: Buffer }) => {
      const caplen = raw.header.readUInt32LE(8);
      this.emit('packet', {
        timeMicros: BigInt(raw.header.readUInt32LE(0)) * 1_000_000n + BigInt(raw.header.readUInt32LE(4)),
        data: raw.buf.subarray(0, caplen),
        originalLength: raw.header.readUInt32LE(12),
      });
    });
  }

  /**
   * Packets the kernel handed to the capture since it opened, and those it dropped because the ring
   * was full (leakwatch read too slowly) or the interface dropped them.
   */
  stats(): CaptureStats {
    const stats = this.session.stats();
    return { received: stats.ps_recv, dropped: stats.ps_drop + stats.ps_ifdrop };
  }

  close(): void {
    this.session.close();
  }
}
