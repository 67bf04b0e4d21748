/**
 * `npm run lab`: builds the network lab, starts the lab internet and leakwatch in transparent mode,
 * prints commands to try as the phone, and tears everything down on Ctrl-C. Needs root.
 */
import { NAMES, createLab, labUnavailable } from './lab.js';
import { startAppliance, startInternet } from './services.js';

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
await startInternet(lab);
const ca = await startAppliance(lab, (l) => process.stdout.write(`[leakwatch] ${l}\n`));
const phone = `ip netns exec ${lab.ns.phone}`;
const data = "$(printf '%s' '[{\"event\":\"page_load_event_finish\",\"properties\":{\"url\":\"https://" + NAMES.news + "/demo\"}}]' | gzip | base64 -w0 | sed 's/+/%2B/g; s/\\//%2F/g; s/=/%3D/g')";
process.stdout.write(`
The lab is up (phone ${lab.ns.phone}, appliance ${lab.ns.appliance}, internet ${lab.ns.internet}; phone address by ${lab.addressing}).
Try, as the phone:

  ${phone} curl --cacert ${ca} https://${NAMES.news}/demo
  ${phone} curl --cacert ${ca} -A Dalvik/2.1.0 --data "crc=1&gzip=1&data_list=${data}" 'https://${NAMES.telemetry}/sa?project=global_browser_mini'

leakwatch prints an alert for the second one. Ctrl-C tears the lab down.
`);
