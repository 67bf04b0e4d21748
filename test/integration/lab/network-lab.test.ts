import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDR, NAMES, PORTS, createLab, labUnavailable } from '../../lab/lab.js';
import { startAppliance, startInternet } from '../../lab/services.js';
import type { Lab } from '../../lab/lab.js';

const unavailable = labUnavailable();
if (unavailable) process.stderr.write(`network lab tests not run: ${unavailable}\n`);

let lab: Lab;
const lines: string[] = [];
const internet: { site?: string; method?: string; url?: string; httpVersion?: string }[] = [];
let applianceCa: string;

/** Sensors Analytics as the Mint browser sends it: form body, data_list = base64(gzip(JSON)). */
function sensorsBody(url: string): string {
  const data = gzipSync(JSON.stringify([{ event: 'page_load_event_finish', properties: { url } }])).toString('base64');
  return `crc=1&gzip=1&data_list=${encodeURIComponent(data)}`;
}

async function until<T>(get: () => T | undefined, ms = 15_000): Promise<T> {
  for (let waited = 0; waited < ms; waited += 50) {
    const v = get();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out; leakwatch said:\n${lines.join('\n')}`);
}

const phoneCurl = (...args: string[]) => lab.exec('phone', 'curl', ['-sS', '--max-time', '15', '--cacert', applianceCa, ...args]);

describe.runIf(!unavailable)('the network lab (phone → appliance → internet, through nftables)', () => {
  beforeAll(async () => {
    lab = await createLab();
    await startInternet(lab, (l) => {
      if (l.startsWith('{"got"')) internet.push((JSON.parse(l) as { got: (typeof internet)[number] }).got);
    });
    applianceCa = await startAppliance(lab, (l) => lines.push(l));
  }, 90_000);

  afterAll(() => lab?.destroy());

  it('gives the phone its address from the appliance\'s dnsmasq, and its DNS', async () => {
    expect(lab.addressing).toBe('dhcp');
    expect(readFileSync(join(lab.dir, 'leases'), 'utf8')).toMatch(/10\.42\.0\.1\d\d/);
    const r = await lab.exec('phone', 'getent', ['hosts', NAMES.news]);
    expect(r.stdout).toMatch(new RegExp(`^${ADDR.news.replace(/\./g, '\\.')}\\s`));
  });

  it('raises one china-linked alert when the phone browses over HTTPS and telemetry reports it', async () => {
    const page = `https://${NAMES.news}/world/article-42`;
    const visit = await phoneCurl(page);
    expect(visit.stdout).toContain('lab news');
    const sent = await phoneCurl('-A', 'Dalvik/2.1.0 (Linux; U; Android 10; Redmi Note 8)', '--data', sensorsBody(page), `https://${NAMES.telemetry}/sa?project=global_browser_mini&r=SG`);
    expect(sent.stdout).toBe('{"code":0}');
    expect(internet.some((g) => g.site === 'telemetry' && g.method === 'POST')).toBe(true);
    const alert = await until(() => lines.find((l) => l.includes(page)));
    expect(alert).toMatch(/HIGH confirmed url https:\/\/news\.lab-news\.test\/world\/article-42 → sa\.lab-sensors\.test \(10\.99\.0\.20, AS45102\) \[china-linked\] via form:data_list → base64 → gzip → json:\$\[0\]\.properties\.url/);
    expect(lines.filter((l) => l.includes(page))).toHaveLength(1);
  });

  it('does the same over plain HTTP', async () => {
    const page = `http://${NAMES.news}/plain/article-7`;
    expect((await lab.exec('phone', 'curl', ['-sS', '--max-time', '15', page])).stdout).toContain('lab news');
    await lab.exec('phone', 'curl', ['-sS', '--max-time', '15', '-A', 'okhttp/4.9.3', '--data', sensorsBody(page), `http://${NAMES.telemetry}/sa?project=global_browser_mini`]);
    expect(await until(() => lines.find((l) => l.includes(page)))).toMatch(/\[china-linked\]/);
  });

  it('does the same over HTTP/2', async () => {
    const page = `https://${NAMES.news}/h2/article-9`;
    const visit = await phoneCurl('--http2', '-w', '\n%{http_version}', page);
    expect(visit.stdout.trim().endsWith('\n2')).toBe(true);
    await phoneCurl('--http2', '-A', 'Dalvik/2.1.0 (Linux; U; Android 10)', '--data', sensorsBody(page), `https://${NAMES.telemetry}/sa?project=global_browser_mini`);
    expect(await until(() => lines.find((l) => l.includes(page)))).toMatch(/\[china-linked\] via form:data_list → base64 → gzip → json/);
  });

  it('lets a client that does not trust our CA fail once, then passes its host through so it works', async () => {
    // This client trusts the real sites' CA but not the appliance's: a pinned app.
    const pinned = () => lab.exec('phone', 'curl', ['-sS', '--max-time', '15', '--cacert', lab.labCaFile, `https://${NAMES.news}/pinned`]);
    expect((await pinned()).code).not.toBe(0);
    const second = await pinned();
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('lab news');
    expect(lines.some((l) => l.includes(`passthrough ${ADDR.phoneStatic.slice(0, 8)}`))).toBe(true);
  });

  it('refuses an upstream with an untrusted certificate, and the phone sees the error', async () => {
    const r = await phoneCurl('-w', '\n%{http_code}', `https://${NAMES.untrusted}/`);
    expect(r.stdout).toMatch(/could not reach bad\.lab-untrusted\.test:443/);
    expect(r.stdout.trim().endsWith('502')).toBe(true);
    expect(internet.some((g) => g.site === 'untrusted')).toBe(false);
  });

  it('drops UDP 443 (QUIC) and TCP 853 (DNS-over-TLS) from the phone, and lets the control ports through', async () => {
    await lab.exec('phone', 'bash', ['-c', `for i in 1 2 3; do echo x > /dev/udp/${ADDR.news}/443; echo x > /dev/udp/${ADDR.news}/4443; sleep 0.1; done`]);
    await until(() => internet.find((g) => g.site === 'udp4443'));
    const dot = await lab.exec('phone', 'curl', ['-sS', '--max-time', '2', `telnet://${ADDR.news}:853`]);
    expect(dot.code).not.toBe(0);
    expect((await lab.exec('phone', 'curl', ['-sS', '--max-time', '5', `http://${ADDR.news}:8081/`])).stdout).toBe('{"code":0}');
    expect(internet.some((g) => g.site === 'udp443' || g.site === 'tcp853')).toBe(false);
  });

  it('cannot be used as a proxy from the internet side', async () => {
    for (const port of [PORTS.proxy, PORTS.https, PORTS.http]) {
      const r = await lab.exec('internet', 'curl', ['-sS', '--max-time', '2', '-x', `http://${ADDR.applianceUplink}:${port}`, `http://${ADDR.news}:8081/`]);
      expect(r.code).not.toBe(0);
    }
  });
});
