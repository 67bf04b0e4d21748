/**
 * The Mint-browser case end to end, through the real nftables redirect with real clients: curl as
 * the phone browses the lab's news site, a Sensors-Analytics-like client reports the page to the
 * "Alibaba Cloud" telemetry host, and leakwatch in the appliance namespace says so once.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventLog } from '../../lab/event-log.js';
import { sensorsBody } from '../../lab/leaks.js';
import { NAMES, createLab, labUnavailable } from '../../lab/lab.js';
import type { Lab } from '../../lab/lab.js';
import { PHONE_HOSTNAME } from '../../lab/phone.js';
import { startLeakwatch } from '../../lab/services.js';
import { ADDR, IFACES, PORTS } from '../../lab/topology.js';
import { BLOCK, blocksOf } from '../../../appliance/src/sources/capture/pcapng-blocks.js';

const unavailable = labUnavailable();
if (unavailable) process.stderr.write(`network lab end-to-end tests skipped: ${unavailable}\n`);

let lab: Lab | undefined;
let applianceCa = '';
const leakwatch = new EventLog<string>();

const phone = (args: string[]) => lab!.exec('phone', 'curl', ['-sS', '--max-time', '15', ...args]);
const phoneTrustingAppliance = (...args: string[]) => phone(['--cacert', applianceCa, ...args]);
const alertFor = (page: string) => leakwatch.waitFor((line) => line.includes(page), 15_000);

describe.runIf(!unavailable)('the lab end to end (phone → nftables redirect → leakwatch → internet)', () => {
  beforeAll(async () => {
    lab = await createLab();
    applianceCa = await startLeakwatch(lab, (line) => leakwatch.push(line));
  }, 90_000);

  afterAll(() => lab?.destroy());

  it('raises one china-linked alert with the decode chain when the phone browses over HTTPS and telemetry reports the page', async () => {
    const page = `https://${NAMES.news}/world/article-42`;
    expect((await phoneTrustingAppliance(page)).stdout).toBe('<html><body><h1>lab news</h1><p>/world/article-42</p></body></html>');
    const sent = await phoneTrustingAppliance('-A', 'Dalvik/2.1.0 (Linux; U; Android 10; Redmi Note 8)', '--data', sensorsBody(page), `https://${NAMES.telemetry}/sa?project=global_browser_mini&r=SG`);
    expect(sent.stdout).toBe('{"code":0}');
    const arrived = await lab!.internet.waitFor((e) => e.site === 'telemetry' && e.method === 'POST' && e.port === 443);
    expect(arrived.body).toBe(sensorsBody(page));
    expect(await alertFor(page)).toMatch(/HIGH confirmed url https:\/\/news\.lab-news\.test\/world\/article-42 → sa\.lab-sensors\.test \(10\.99\.0\.20, AS45102\) \[china-linked\] via form:data_list → base64 → gzip → json:\$\[0\]\.properties\.url/);
    expect(leakwatch.items.filter((line) => line.includes(page))).toHaveLength(1);
  });

  it('names the phone by its MAC and DHCP name, and bundles the alert with its packets and the TLS keys that decrypt them', async () => {
    const page = `https://${NAMES.news}/world/article-42`;
    const phoneMac = (await lab!.exec('phone', 'cat', [`/sys/class/net/${IFACES.phone}/address`])).stdout.trim();
    const api = `http://${ADDR.applianceHotspot}:${PORTS.api}`;
    const jar = join(lab!.paths.dir, 'phone-cookies');
    expect((await phone(['-c', jar, '-H', 'content-type: application/json', '--data', '{"password":"lab"}', `${api}/api/login`])).stdout).toBe('{"ok":true}');
    const devices = JSON.parse((await phone(['-b', jar, `${api}/api/devices`])).stdout) as { id: string; hostname: string | null; randomisedMac: boolean | null; ip: string }[];
    expect(devices).toContainEqual(expect.objectContaining({ id: phoneMac, ip: lab!.addresses.phone, randomisedMac: true, ...(lab!.addressing === 'dhcp' ? { hostname: PHONE_HOSTNAME } : {}) }));
    const alerts = JSON.parse((await phone(['-b', jar, `${api}/api/alerts`])).stdout) as { id: string; device: string; data: { value: string } }[];
    const alert = alerts.find((a) => a.data.value === page)!;
    expect(alert.device).toBe(phoneMac);

    const lookups = JSON.parse((await phone(['-b', jar, `${api}/api/devices/${phoneMac}/dns`])).stdout) as { name: string; addresses: string[] }[];
    expect(lookups).toContainEqual(expect.objectContaining({ name: NAMES.telemetry, addresses: [ADDR.telemetry] }));
    const traffic = JSON.parse((await phone(['-b', jar, `${api}/api/devices/${phoneMac}/traffic`])).stdout) as { peer: string; name?: string; tcpPorts: number[]; bytesOut: number }[];
    expect(traffic).toContainEqual(expect.objectContaining({ peer: ADDR.telemetry, name: NAMES.telemetry, tcpPorts: [443] }));

    const bundlePath = join(lab!.paths.dir, 'bundle.zip');
    expect((await phone(['-b', jar, '-o', bundlePath, '-w', '%{http_code}', `${api}/api/alerts/${encodeURIComponent(alert.id)}/bundle`])).stdout).toBe('200');
    const bundle = unzipSync(readFileSync(bundlePath));
    const manifest = JSON.parse(strFromU8(bundle['manifest.json']!)) as { pcap: { status: string; file?: string } };
    expect(manifest.pcap).toEqual({ status: 'captured', file: 'packets.pcapng' });
    const packets = Buffer.from(bundle['packets.pcapng']!);
    const secrets = [...blocksOf(packets)].filter((b) => b.type === BLOCK.decryptionSecrets);
    expect(secrets).toHaveLength(1);
    expect(secrets[0]!.bytes.toString('latin1')).toMatch(/CLIENT_(HANDSHAKE_TRAFFIC_SECRET|RANDOM) [0-9a-f]{64} /);
    const pcapFile = join(lab!.paths.dir, 'packets.pcapng');
    writeFileSync(pcapFile, packets);
    const telemetryPackets = execFileSync('tcpdump', ['-r', pcapFile, '-n', `host ${ADDR.telemetry} and tcp port 443`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(telemetryPackets.split('\n').filter(Boolean).length).toBeGreaterThan(5);
  });

  it("never records the phone's traffic to the appliance itself (the admin login on the page's port, a service on another port) as flows or evidence", async () => {
    const api = `http://${ADDR.applianceHotspot}:${PORTS.api}`;
    const jar = join(lab!.paths.dir, 'own-traffic-cookies');
    // Something else of the appliance's on a port that is neither redirected nor the page's.
    const other = lab!.spawn('appliance', 'python3', ['-m', 'http.server', '--bind', ADDR.applianceHotspot, '8099']);
    let reached = '';
    for (let i = 0; i < 50 && reached !== '200'; i++) {
      reached = (await phone(['-o', '/dev/null', '-w', '%{http_code}', '--data', 'password=hunter2-on-8099', `http://${ADDR.applianceHotspot}:8099/login`])).stdout;
      if (reached === '000') await new Promise((r) => setTimeout(r, 100));
    }
    other.kill();
    expect(reached).toBe('501');
    expect((await phone(['-c', jar, '-H', 'content-type: application/json', '--data', '{"password":"lab"}', `${api}/api/login`])).stdout).toBe('{"ok":true}');
    // A flow would be handed on within a second of the request; browse once more so there is a flow after them.
    await phoneTrustingAppliance(`https://${NAMES.news}/after-own-traffic`);
    const flows = async (query: string) => (JSON.parse((await phone(['-b', jar, `${api}/api/flows?${query}`])).stdout) as { flows: { url: string }[] }).flows.map((f) => f.url);
    for (let i = 0; i < 50 && !(await flows('q=after-own-traffic')).length; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await flows('q=after-own-traffic')).toEqual([`https://${NAMES.news}/after-own-traffic`]);
    expect(await flows(`host=${ADDR.applianceHotspot}`)).toEqual([]);
    expect(await flows('q=login')).toEqual([]);

    const alerts = JSON.parse((await phone(['-b', jar, `${api}/api/alerts`])).stdout) as { id: string }[];
    const bundlePath = join(lab!.paths.dir, 'own-traffic-bundle.zip');
    expect((await phone(['-b', jar, '-o', bundlePath, '-w', '%{http_code}', `${api}/api/alerts/${encodeURIComponent(alerts[0]!.id)}/bundle`])).stdout).toBe('200');
    const pcapFile = join(lab!.paths.dir, 'own-traffic.pcapng');
    writeFileSync(pcapFile, Buffer.from(unzipSync(readFileSync(bundlePath))['packets.pcapng']!));
    const ownPackets = execFileSync('tcpdump', ['-r', pcapFile, '-n', `host ${ADDR.applianceHotspot} and (tcp port ${PORTS.api} or tcp port 8099)`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(ownPackets).toBe('');
    expect(execFileSync('tcpdump', ['-r', pcapFile, '-n', 'tcp'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })).not.toBe('');
  });

  it('raises the same alert over plain HTTP', async () => {
    const page = `http://${NAMES.news}/plain/article-7`;
    expect((await phone([page])).stdout).toContain('<p>/plain/article-7</p>');
    expect((await phone(['-A', 'okhttp/4.9.3', '--data', sensorsBody(page), `http://${NAMES.telemetry}/sa?project=global_browser_mini`])).stdout).toBe('{"code":0}');
    expect(await alertFor(page)).toMatch(/→ sa\.lab-sensors\.test \(10\.99\.0\.20, AS45102\) \[china-linked\] via form:data_list → base64 → gzip → json/);
  });

  it('raises the same alert over HTTP/2', async () => {
    const page = `https://${NAMES.news}/h2/article-9`;
    expect((await phoneTrustingAppliance('--http2', '-o', '/dev/null', '-w', '%{http_version}', page)).stdout).toBe('2');
    expect((await phoneTrustingAppliance('--http2', '-w', ' %{http_version}', '-A', 'Dalvik/2.1.0 (Linux; U; Android 10)', '--data', sensorsBody(page), `https://${NAMES.telemetry}/sa?project=global_browser_mini`)).stdout).toBe('{"code":0} 2');
    expect(await alertFor(page)).toMatch(/\[china-linked\] via form:data_list → base64 → gzip → json/);
  });

  it('lets a client that does not trust the appliance CA fail once, then passes its host through so it works', async () => {
    // Trusts the lab's real sites but not the appliance: a pinned app.
    const pinned = () => phone(['--cacert', lab!.paths.labCa, `https://${NAMES.news}/pinned`]);
    expect((await pinned()).code).toBe(60);
    const second = await pinned();
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('<p>/pinned</p>');
    expect(leakwatch.items).toContain(`leakwatch: passthrough ${lab!.addresses.phone} → ${NAMES.news}:443 (not inspected)`);
  });

  it('refuses an upstream whose certificate is self-signed, and the phone sees the error', async () => {
    const r = await phoneTrustingAppliance('-w', '\n%{http_code}', `https://${NAMES.untrusted}/`);
    expect(r.stdout).toMatch(/could not reach bad\.lab-untrusted\.test:443/);
    expect(r.stdout.endsWith('\n502')).toBe(true);
    expect(lab!.internet.items.filter((e) => e.site === 'untrusted')).toEqual([]);
  });

  it("runs `leakwatch doctor` on the appliance: the page, firewall, redirect, forwarding and the phone's lease pass; no uplink fails, with the fix", async () => {
    const doctor = await lab!.exec('appliance', process.execPath, ['--import', 'tsx', 'appliance/src/main.ts', 'doctor', '--config', join(lab!.paths.dir, 'leakwatch.json')], { timeoutMs: 30_000 });
    expect(doctor.code).toBe(1);
    const lines = doctor.stdout.split('\n');
    for (const passed of [
      "  ✓ the page's address 10.42.0.1 is on this machine",
      '  ✓ 1 phone on the hotspot (DHCP leases)',
      '  ✓ IP forwarding is on',
      "  ✓ the phones' web traffic is redirected to the proxy",
      '  ✓ the page answers at http://10.42.0.1:80/',
    ]) expect(lines).toContain(passed);
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}✓ QUIC and DNS-over-TLS from the hotspot are dropped \(\d+ and \d+ packets so far\)$/));
    // The lab's "internet" is two subnets beside the appliance, with no default route.
    expect(doctor.stdout).toContain('  ✗ no default route: the appliance itself has no internet, so neither do the phones\n      fix: plug in Ethernet');
    expect(doctor.stdout).toContain('  ? the appliance: systemd is not running here, so leakwatch.service cannot be asked');
  });
});
