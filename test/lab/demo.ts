/**
 * `npm run lab`: builds the network lab, starts leakwatch in the appliance namespace in transparent
 * mode, prints commands to try as the phone, and removes everything on Ctrl-C. Needs root.
 */
import { NAMES, createLab, labUnavailable } from './lab.js';
import { startLeakwatch } from './services.js';

const unavailable = labUnavailable();
if (unavailable) {
  process.stderr.write(`npm run lab: ${unavailable}\n`);
  process.exit(2);
}
// The lab removes itself on Ctrl-C (SIGINT), SIGTERM and exit.
const lab = await createLab();
const ca = await startLeakwatch(lab, (line) => process.stdout.write(`[leakwatch] ${line}\n`));
const phone = `ip netns exec ${lab.ns.phone}`;
const telemetry = "$(printf '%s' '[{\"event\":\"page_load_event_finish\",\"properties\":{\"url\":\"https://" + NAMES.news + "/demo\"}}]' | gzip | base64 -w0 | sed 's/+/%2B/g; s/\\//%2F/g; s/=/%3D/g')";
process.stdout.write(`
The lab is up: phone ${lab.ns.phone} (${lab.addresses.phone}, by ${lab.addressing}), appliance ${lab.ns.appliance}, internet ${lab.ns.internet}.
Lab files are in ${lab.paths.dir} (intel overlay: ${lab.paths.intel}).
Try, as the phone:

  # a page over HTTPS, through the transparent proxy (trusting the appliance CA)
  ${phone} curl --cacert ${ca} https://${NAMES.news}/demo
  # the Mint browser's telemetry reporting it: leakwatch prints a china-linked alert
  ${phone} curl --cacert ${ca} -A Dalvik/2.1.0 --data "crc=1&gzip=1&data_list=${telemetry}" 'https://${NAMES.telemetry}/sa?project=global_browser_mini'
  # an upstream with a self-signed certificate: refused, the phone gets a 502
  ${phone} curl --cacert ${ca} https://${NAMES.untrusted}/
  # the appliance's firewall
  ip netns exec ${lab.ns.appliance} nft list table inet leakwatch

Ctrl-C removes the lab.
`);
