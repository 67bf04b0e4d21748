import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADDR, PORTS, startAndWait } from './lab.js';
import type { Lab } from './lab.js';

/** Starts the lab internet's sites; `onLine` gets what they report (one JSON line per request). */
export function startInternet(lab: Lab, onLine: (line: string) => void = () => undefined): Promise<ChildProcess> {
  return startAndWait(lab, 'internet', process.execPath, ['--import', 'tsx', 'test/lab/internet-server.ts', join(lab.dir, 'internet.json')], (l) => l.includes('"ready"'), onLine);
}

/**
 * Starts `leakwatch start` in the appliance namespace in transparent mode, trusting the lab CA
 * upstream and reading the lab's --intel overlay. Returns the path of the appliance CA to give the phone.
 */
export async function startAppliance(lab: Lab, onLine: (line: string) => void = () => undefined): Promise<string> {
  const dataDir = join(lab.dir, 'appliance-data');
  const config = join(lab.dir, 'leakwatch.json');
  writeFileSync(config, JSON.stringify({
    dataDir,
    proxy: { host: ADDR.applianceHotspot, port: PORTS.proxy, allowedClients: [ADDR.hotspotNet, '127.0.0.0/8'], upstreamCaFile: lab.labCaFile },
    transparent: { enabled: true, host: '0.0.0.0', httpPort: PORTS.http, httpsPort: PORTS.https },
    intel: { overlayFiles: [lab.intelFile] },
    api: { host: ADDR.applianceHotspot, port: PORTS.api, password: 'lab' },
  }));
  await startAndWait(lab, 'appliance', process.execPath, ['--import', 'tsx', 'appliance/src/main.ts', 'start', '--config', config], (l) => l.includes('proxy listening'), onLine, 60_000);
  return join(dataDir, 'ca', 'leakwatch-ca.pem');
}
