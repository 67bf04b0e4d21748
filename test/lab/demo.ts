/**
 * `npm run lab`: builds the network lab, starts the lab internet and leakwatch in transparent mode,
 * prints commands to try as the phone, and tears everything down on Ctrl-C. Needs root.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADDR, NAMES, PORTS, createLab, labUnavailable, startAndWait } from './lab.js';

const unavailable = labUnavailable();
if (unavailable) {
  process.stderr.write(`npm run lab: ${unavailable}\n`);
  process.exit(2);
}
const lab = await createLab();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    lab.destroy();
    process.exit(0);
  });
}
await startAndWait(lab, 'internet', process.execPath, ['--import', 'tsx', 'test/lab/internet-server.ts', join(lab.dir, 'internet.json')], (l) => l.includes('"ready"'));
const config = join(lab.dir, 'leakwatch.json');
writeFileSync(config, JSON.stringify({
  dataDir: join(lab.dir, 'appliance-data'),
  proxy: { host: ADDR.applianceHotspot, port: PORTS.proxy, allowedClients: [ADDR.hotspotNet, '127.0.0.0/8'], upstreamCaFile: lab.labCaFile },
  transparent: { enabled: true, host: '0.0.0.0', httpPort: PORTS.http, httpsPort: PORTS.https },
  intel: { overlayFiles: [lab.intelFile] },
}));
await startAndWait(lab, 'appliance', process.execPath, ['--import', 'tsx', 'appliance/src/main.ts', 'start', '--config', config], (l) => l.includes('proxy listening'), (l) => process.stdout.write(`[leakwatch] ${l}\n`), 60_000);
const ca = join(lab.dir, 'appliance-data', 'ca', 'leakwatch-ca.pem');
const phone = `ip netns exec ${lab.ns.phone}`;
const data = "$(printf '%s' '[{\"event\":\"page_load_event_finish\",\"properties\":{\"url\":\"https://" + NAMES.news + "/demo\"}}]' | gzip | base64 -w0 | sed 's/+/%2B/g; s/\\//%2F/g; s/=/%3D/g')";
process.stdout.write(`
The lab is up (phone ${lab.ns.phone}, appliance ${lab.ns.appliance}, internet ${lab.ns.internet}; phone address by ${lab.addressing}).
Try, as the phone:

  ${phone} curl --cacert ${ca} https://${NAMES.news}/demo
  ${phone} curl --cacert ${ca} -A Dalvik/2.1.0 --data "crc=1&gzip=1&data_list=${data}" 'https://${NAMES.telemetry}/sa?project=global_browser_mini'

leakwatch prints an alert for the second one. Ctrl-C tears the lab down.
`);
