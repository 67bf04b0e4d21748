/** What runs in the appliance namespace: the stand-in listener, or leakwatch itself. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventLog } from './event-log.js';
import { loadRuleset } from './network.js';
import { PORTS } from './topology.js';
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
  loadRuleset(lab.ns.appliance, lab.paths.redirect);
  return connections;
}

/**
 * Starts `leakwatch start` in the appliance namespace with the config the installer rendered for
 * the Pi (transparent mode, capture on, the page on port 80 and 443), changed only where a lab must:
 * its own data dir, trusting the lab CA upstream, the lab's --intel overlay, a known admin password.
 * Once it is ready the redirect table goes in, as leakwatch.service's ExecStartPost does on the Pi.
 * Resolves with the appliance CA file to give the phone.
 */
export async function startLeakwatch(lab: Lab, onLine: (line: string) => void = () => undefined): Promise<string> {
  const dataDir = join(lab.paths.dir, 'appliance-data');
  const config = join(lab.paths.dir, 'leakwatch.json');
  const pi = JSON.parse(readFileSync(lab.paths.config, 'utf8')) as { proxy: object; capture: object; api: object };
  writeFileSync(config, JSON.stringify({
    ...pi,
    dataDir,
    proxy: { ...pi.proxy, upstreamCaFile: lab.paths.labCa },
    intel: { overlayFiles: [lab.paths.intel] },
    capture: { ...pi.capture, maxBytesPerDevice: 8 * 1024 * 1024 },
    api: { ...pi.api, password: 'lab' },
  }));
  // From the sources through tsx, so the lab needs no build; `appliance/bin/leakwatch.js` runs the same CLI compiled.
  await lab.startApplianceProcess(process.execPath, ['--import', 'tsx', 'appliance/src/main.ts', 'start', '--config', config], {
    ready: (line) => line.includes('proxy listening'),
    onLine,
    timeoutMs: 60_000,
  });
  loadRuleset(lab.ns.appliance, lab.paths.redirect);
  return join(dataDir, 'ca', 'leakwatch-ca.pem');
}
