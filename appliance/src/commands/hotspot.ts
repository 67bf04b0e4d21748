import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { Database as Db } from 'better-sqlite3';
import type { Config } from '../config/config.js';
import { ConfigError } from '../config/config.js';
import { loadMacVendors } from '../intel/mac-vendors.js';
import type { Flow } from '../model/index.js';
import { HotspotCapture } from '../sources/capture/hotspot-capture.js';
import { CaptureUnavailableError } from '../sources/capture/live-capture.js';
import { DeviceStore } from '../store/index.js';
import type { DeviceIdentity } from '../model/index.js';
import { DeviceDirectory } from '../system/device-directory.js';

/** A device's row is refreshed at most this often while it keeps sending the same facts. */
const DEVICE_ROW_EVERY_MS = 60_000;

/**
 * What the hotspot knows beyond the proxy's sockets: which device a client IP is (MAC, DHCP name,
 * vendor), recorded in the devices table, and — when capture is on — plain HTTP the proxy does not
 * see (`flow` events), and its packets and the TLS keys of its intercepted connections, kept as
 * evidence for alert bundles.
 */
export class Hotspot extends EventEmitter<{ flow: [Flow]; problem: [string] }> {
  readonly capture: HotspotCapture | undefined;
  private readonly directory: DeviceDirectory;
  private readonly devices: DeviceStore;
  private readonly recorded = new Map<string, { identity: DeviceIdentity; at: number }>();

  constructor(config: Config, db: Db, application: string) {
    super();
    this.directory = new DeviceDirectory({ vendors: loadMacVendors(), leaseFile: config.devices.leaseFile, onProblem: (message) => this.emit('problem', message) });
    this.devices = new DeviceStore(db);
    if (config.capture.enabled) {
      try {
        this.capture = new HotspotCapture({
          interface: config.capture.interface, evidenceDir: join(config.dataDir, 'evidence'), maxBytesPerDevice: config.capture.maxBytesPerDevice, bufferBytes: config.capture.bufferBytes, application,
          maxBodyBytes: config.proxy.maxInspectBytes,
          // Under the transparent redirect the proxy sees TCP 80 and 443 itself.
          proxiedPorts: config.transparent.enabled ? [80, 443] : [],
          onFlow: (flow) => this.emit('flow', flow),
          onProblem: (message) => this.emit('problem', message),
        });
      } catch (error) {
        if (!(error instanceof CaptureUnavailableError)) throw error;
        throw new ConfigError(`capture.enabled: ${error.message} (or set capture.enabled to false)`);
      }
    }
  }

  /** The flow, named by its device's MAC when the hotspot knows it. */
  label(flow: Flow): Flow {
    const identity = this.directory.identify(flow.device, flow.time);
    this.remember(identity, flow.time);
    return identity.id === flow.device ? flow : { ...flow, device: identity.id };
  }

  /** Who the client at `ip` is, as the hotspot can tell (MAC, DHCP name, vendor). */
  identify(ip: string): DeviceIdentity {
    return this.directory.identify(ip);
  }

  /** A TLS key of a connection the proxy terminated for the client at `ip`. */
  tlsKey(ip: string, line: string): void {
    const device = this.directory.identify(ip).mac;
    if (device) this.capture?.tlsKey(device, line);
  }

  close(): void {
    this.capture?.close();
  }

  /** The directory hands out the same object until it looks again, so a changed answer is a new object. */
  private remember(identity: DeviceIdentity, now: number): void {
    const last = this.recorded.get(identity.id);
    if (last && last.identity === identity && now - last.at < DEVICE_ROW_EVERY_MS) return;
    this.devices.record(identity, now);
    this.recorded.set(identity.id, { identity, at: now });
  }
}
