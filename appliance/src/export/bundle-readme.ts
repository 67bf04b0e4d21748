import type { BundleManifest } from './bundle.js';

/** README.txt of an evidence bundle: what each file is and how to check that none was changed. */
export function bundleReadme(o: { alertId: string; hasHar: boolean; pcap: BundleManifest['pcap'] }): string {
  const files = [
    'alert.json     The alert as leakwatch raised it: what leaked (data.value, data.matched), to whom',
    '               (destination: host, IP, network, country, owner, and every reason it counts as',
    '               china-linked), how it was encoded (path, evidence.steps) and the decoded excerpt.',
    o.hasHar
      ? 'flows.har      The request that leaked it and, for a confirmed alert, the page load that made the\n' +
        '               value browsing data (when still stored). HAR 1.2; log.comment says what leakwatch\n' +
        '               does not record. Open it in a browser\'s developer tools, re-check it with\n' +
        '               `leakwatch analyze flows.har`, or read it with tweasel\'s TrackHAR.'
      : 'flows.har      (absent) The requests behind this alert are no longer stored: retention deleted\n' +
        '               them (by age or database size). manifest.json lists them under "flows".',
    o.pcap.status === 'captured'
      ? `${o.pcap.file.padEnd(15)}The packets of those requests, for Wireshark or tcpdump -r.`
      : `(no packets)   Not captured: ${o.pcap.reason}.`,
    'manifest.json  SHA-256 and size of each file above, the appliance\'s id, the leakwatch version and',
    '               when this bundle was made.',
    'SHA256SUMS     SHA-256 of every file, manifest.json included, in `sha256sum` format.',
  ];
  return [
    `leakwatch evidence bundle for alert ${o.alertId}`,
    '',
    'Files',
    '',
    ...files,
    '',
    'How to verify',
    '',
    '1. In the folder you unzipped this into, run:  sha256sum -c SHA256SUMS',
    '   (macOS: shasum -a 256 -c SHA256SUMS). Every line must say OK.',
    '2. Compare the hashes in manifest.json with the ones you computed; they must be the same.',
    '3. Keep the hash of the zip file itself, or of SHA256SUMS, with your notes (or send it to',
    '   someone you trust) when you make the bundle: a file changed later no longer matches it.',
    '',
    'The hashes show that the files have not changed since the bundle was made. They do not show',
    'who made it: the appliance does not sign bundles.',
    '',
  ].join('\n');
}
