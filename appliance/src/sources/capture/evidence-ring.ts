import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BLOCK, blocksOf, decryptionSecrets, enhancedPacketLength, interfaceDescription, packetTime, sectionHeader, writeEnhancedPacket } from './pcapng-blocks.js';

export interface EvidenceRingOptions {
  /** Where the segments live: one folder per device. */
  dir: string;
  /** Raw packets kept per device, at most (oldest segments are deleted first). */
  maxBytesPerDevice: number;
  /** Size at which a device's current segment file is closed and a new one begun. */
  segmentBytes?: number;
  linkType: number;
  snapLength: number;
  interfaceName?: string;
  /** Written pcapng names this application. */
  application: string;
  /** Told when writing evidence fails, and when it works again. */
  onProblem?: (message: string) => void;
}

interface Segment {
  path: string;
  bytes: number;
  /** Left by an earlier run: never appended to, since it may end in a block torn by a crash. */
  sealed?: boolean;
}

interface DeviceLog {
  dir: string;
  segments: Segment[];
  /** Blocks not yet on disk, written straight into one buffer; released when the device goes quiet. */
  staged: Buffer | undefined;
  stagedBytes: number;
  /** Why the device's last write failed, until one works again (said once, not per stage). */
  failing?: string;
}

/**
 * A device's blocks wait in a buffer this big, appended to its segment when it is full or at the
 * next flush: memory stays per device whatever the traffic (a burst at Wi-Fi speed once held
 * seconds of packets, each copied three times, until the next flush).
 */
const STAGE_BYTES = 128 * 1024;

/** A device id (MAC or IP) as a folder name: `aa-bb-cc-dd-ee-ff`, `10.42.0.23`, `fd00--23`. */
const folderOf = (device: string) => device.replace(/[^0-9A-Za-z.]/g, '-');

/**
 * The last N MB of raw packets per device, on disk as pcapng segments, and the TLS session keys of
 * connections the proxy intercepted for it, so an alert can offer the packets around it — opening
 * decrypted in Wireshark. Writes are staged per device and appended when the stage is full or at
 * `flush()` (call it every second or so); a crash loses at most what was staged, and a torn last
 * block is skipped when reading. A write that fails (a full SD card) loses that stage, is said
 * once through `onProblem`, and never throws into the capture.
 */
export class EvidenceRing {
  private readonly devices = new Map<string, DeviceLog>();
  private readonly segmentBytes: number;

  constructor(private readonly options: EvidenceRingOptions) {
    this.segmentBytes = Math.max(64 * 1024, options.segmentBytes ?? Math.floor(options.maxBytesPerDevice / 8));
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  }

  /** One packet of the device; `data` may be the capture's own buffer: it is copied here. */
  packet(device: string, timeMicros: bigint, data: Uint8Array, originalLength = data.length): void {
    const log = this.logOf(device);
    const stage = this.room(log, enhancedPacketLength(data.length));
    log.stagedBytes += writeEnhancedPacket(stage, log.stagedBytes, 0, timeMicros, data, originalLength);
  }

  /** One NSS key log line of a TLS connection of this device. */
  tlsKey(device: string, keyLogLine: string): void {
    const log = this.logOf(device);
    const block = decryptionSecrets([keyLogLine]);
    block.copy(this.room(log, block.length), log.stagedBytes);
    log.stagedBytes += block.length;
  }

  /** Appends what is staged to each device's current segment; a device with nothing new lets go of its buffer. */
  flush(): void {
    for (const log of this.devices.values()) {
      if (log.stagedBytes === 0) log.staged = undefined;
      else this.write(log);
    }
  }

  /**
   * The device's packets from `fromMs` to `toMs` as one pcapng file, with the TLS keys kept for the
   * device in front (keys only open packets of their own connection, so extra ones reveal nothing
   * outside the slice), so Wireshark can decrypt them; undefined when no packet falls inside.
   */
  slice(device: string, fromMs: number, toMs: number): Buffer | undefined {
    this.flush();
    const log = this.logOf(device);
    const from = BigInt(Math.floor(fromMs * 1000));
    const to = BigInt(Math.ceil(toMs * 1000));
    const packets: Buffer[] = [];
    const keys: string[] = [];
    for (const segment of log.segments) {
      let file: Buffer;
      try {
        file = readFileSync(segment.path);
      } catch {
        continue; // deleted by retention while we read
      }
      for (const b of blocksOf(file)) {
        if (b.type === BLOCK.enhancedPacket) {
          const t = packetTime(b.bytes);
          if (t >= from && t <= to) packets.push(b.bytes);
        } else if (b.type === BLOCK.decryptionSecrets) {
          keys.push(b.bytes.subarray(16, 16 + b.bytes.readUInt32LE(12)).toString().trim());
        }
      }
    }
    if (packets.length === 0) return undefined;
    const { linkType, snapLength, interfaceName, application } = this.options;
    return Buffer.concat([
      sectionHeader(application, `packets of ${device} from ${new Date(fromMs).toISOString()} to ${new Date(toMs).toISOString()}`),
      interfaceDescription(linkType, snapLength, interfaceName),
      ...(keys.length > 0 ? [decryptionSecrets(keys)] : []),
      ...packets,
    ]);
  }

  /**
   * Deletes segments last written before `cutoffMs` (epoch ms), for every device including those
   * not seen since leakwatch started, so evidence follows the same age limit as the database.
   * Returns how many files went.
   */
  prune(cutoffMs: number): number {
    this.flush();
    let removed = 0;
    let folders: string[];
    try {
      folders = readdirSync(this.options.dir);
    } catch {
      return 0;
    }
    for (const folder of folders) {
      const dir = join(this.options.dir, folder);
      for (const segment of existingSegments(dir)) {
        if (statSync(segment.path).mtimeMs >= cutoffMs) continue;
        rmSync(segment.path, { force: true });
        removed++;
      }
      for (const log of this.devices.values()) if (log.dir === dir) log.segments = log.segments.filter((s) => existsSync(s.path));
    }
    return removed;
  }

  /** The device's stage with room for `length` more bytes (what it held is written out first when full). */
  private room(log: DeviceLog, length: number): Buffer {
    if (log.stagedBytes + length > (log.staged?.length ?? 0)) this.write(log);
    if (!log.staged || log.staged.length < length) log.staged = Buffer.allocUnsafe(Math.max(STAGE_BYTES, length));
    return log.staged;
  }

  /** Appends the device's staged blocks to its current segment, starting segments and dropping old ones as needed. */
  private write(log: DeviceLog): void {
    if (log.stagedBytes === 0 || !log.staged) return;
    const bytes = log.stagedBytes;
    log.stagedBytes = 0;
    try {
      let current = log.segments.at(-1);
      if (!current || current.sealed || current.bytes + bytes > this.segmentBytes) current = this.newSegment(log);
      appendFileSync(current.path, log.staged.subarray(0, bytes), { mode: 0o600 });
      current.bytes += bytes;
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? String(error);
      if (log.failing !== reason) this.options.onProblem?.(`evidence: cannot write packets under ${log.dir} (${reason}): packets are not kept until writing works again`);
      log.failing = reason;
      return;
    }
    if (log.failing !== undefined) this.options.onProblem?.(`evidence: writing packets under ${log.dir} works again`);
    delete log.failing;
    this.enforceLimit(log);
  }

  private logOf(device: string): DeviceLog {
    let log = this.devices.get(device);
    if (!log) {
      const dir = join(this.options.dir, folderOf(device));
      log = { dir, segments: existingSegments(dir), staged: undefined, stagedBytes: 0 };
      this.devices.set(device, log);
    }
    return log;
  }

  private newSegment(log: DeviceLog): Segment {
    mkdirSync(log.dir, { recursive: true, mode: 0o700 });
    const last = log.segments.at(-1);
    const sequence = last ? Number.parseInt(last.path.slice(last.path.lastIndexOf('/') + 1), 10) + 1 : 1;
    const path = join(log.dir, `${String(sequence).padStart(8, '0')}.pcapng`);
    const { linkType, snapLength, interfaceName, application } = this.options;
    const header = Buffer.concat([sectionHeader(application), interfaceDescription(linkType, snapLength, interfaceName)]);
    appendFileSync(path, header, { mode: 0o600 });
    const segment = { path, bytes: header.length };
    log.segments.push(segment);
    return segment;
  }

  private enforceLimit(log: DeviceLog): void {
    let total = log.segments.reduce((sum, s) => sum + s.bytes, 0);
    while (total > this.options.maxBytesPerDevice && log.segments.length > 1) {
      const oldest = log.segments.shift()!;
      rmSync(oldest.path, { force: true });
      total -= oldest.bytes;
    }
  }
}

/** Segments left by an earlier run, oldest first (their names are sequence numbers). */
function existingSegments(dir: string): Segment[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^\d{8}\.pcapng$/.test(n)).sort();
  } catch {
    return [];
  }
  return names.map((n) => ({ path: join(dir, n), bytes: statSync(join(dir, n)).size, sealed: true }));
}
