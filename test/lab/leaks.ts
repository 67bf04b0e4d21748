/** What the lab phone does to make alerts: browse a page through the appliance, then report it like the Mint browser. */
import { gzipSync } from 'node:zlib';
import type { Lab } from './lab.js';
import { NAMES } from './topology.js';

/** Sensors Analytics as the Mint browser sends it: form body, data_list = base64(gzip(JSON)). */
export function sensorsBody(url: string): string {
  const data = gzipSync(JSON.stringify([{ event: 'page_load_event_finish', properties: { url } }])).toString('base64');
  return `crc=1&gzip=1&data_list=${encodeURIComponent(data)}`;
}

/**
 * curl on the phone, trusting the appliance CA: opens `page` on the lab's news site as a browser
 * would, then posts it to the "Alibaba Cloud" telemetry host; resolves once the internet got it.
 */
export async function browseAndReport(lab: Lab, applianceCa: string, path: string, headers: string[] = []): Promise<string> {
  const page = `https://${NAMES.news}${path}`;
  const curl = (args: string[]) => lab.exec('phone', 'curl', ['-sS', '--max-time', '15', '--cacert', applianceCa, ...args]);
  const browsed = await curl(['-H', 'accept: text/html', '-H', 'sec-fetch-mode: navigate', '-H', 'sec-fetch-dest: document', '-A', 'Mozilla/5.0 (Linux; Android 11) Chrome/126.0 Mobile Safari/537.36', page]);
  if (browsed.code !== 0) throw new Error(`the phone could not open ${page}: ${browsed.stderr}`);
  const sent = await curl(['-A', 'Dalvik/2.1.0 (Linux; U; Android 11; Redmi Note 8)', ...headers.flatMap((h) => ['-H', h]), '--data', sensorsBody(page), `https://${NAMES.telemetry}/sa?project=global_browser_mini&r=SG`]);
  if (sent.code !== 0) throw new Error(`the phone could not report ${page}: ${sent.stderr}`);
  await lab.internet.waitFor((e) => e.site === 'telemetry' && e.body === sensorsBody(page));
  return page;
}
