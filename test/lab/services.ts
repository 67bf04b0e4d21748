/** What runs in the appliance namespace: the stand-in listener, or leakwatch itself. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventLog } from './event-log.js';
import { ADDR, IFACES, PORTS } from './topology.js';
import type { Lab } from './lab.js';
import type { StandInConnection } from './stand-in-proxy.js';

/** Starts the stand-in on the proxy's ports; resolves with the log of connections it accepts. */
export async function startStandIn(lab: Lab): Promise<EventLog<StandInConnection>> {
  const connections = new EventLog<StandInConnection>();
  await lab.startApplianceProcess(process.execPath, ['--import', 'tsx', 'test/lab/stand-in-proxy.ts', String(PORTS.http), String(PORTS.https), String(PORTS.proxy)], {
    ready: (line) => line === '{"ready":true}',
    onLine: (line) => {
      if (line.startsWith('{"conn"')) connections.push((JSON.parse(line) as { conn: StandInConnection }).conn);
    },
  });
  return connections;
}

/**
 * Starts `leakwatch start` in the appliance namespace in transparent mode, trusting the lab CA
 * upstream and reading the lab's --intel overlay. Resolves with the appliance CA file to give the phone.
 */
export async function startLeakwatch(lab: Lab, onLine: (line: string) => void = () => undefined): Promise<string> {
  const dataDir = join(lab.paths.dir, 'appliance-data');
  const config = join(lab.paths.dir, 'leakwatch.json');
  writeFileSync(config, JSON.stringify({
    dataDir,
    proxy: { host: ADDR.applianceHotspot, port: PORTS.proxy, allowedClients: [ADDR.hotspotNet, '127.0.0.0/8'], upstreamCaFile: lab.paths.labCa },
    transparent: { enabled: true, host: '0.0.0.0', httpPort: PORTS.http, httpsPort: PORTS.https },
    intel: { overlayFiles: [lab.paths.intel] },
    devices: { leaseFile: lab.paths.leases },
    capture: { enabled: true, interface: IFACES.applianceHotspot, maxBytesPerDevice: 8 * 1024 * 1024 },
    api: { host: ADDR.applianceHotspot, port: PORTS.api, httpsPort: PORTS.apiHttps, password: 'lab' },
  }));
  // From the sources through tsx, so the lab needs no build; `appliance/bin/leakwatch.js` runs the same CLI compiled.
  await lab.startApplianceProcess(process.execPath, ['--import', 'tsx', 'appliance/src/main.ts', 'start', '--config', config], {
    ready: (line) => line.includes('proxy listening'),
    onLine,
    timeoutMs: 60_000,
  });
  return join(dataDir, 'ca', 'leakwatch-ca.pem');
}
