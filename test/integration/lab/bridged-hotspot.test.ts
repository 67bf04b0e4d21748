/**
 * A bridged hotspot (hostapd's bridge=, or Docker on the Pi loading br_netfilter): bridged frames
 * pass through netfilter, so capture sees the phone's redirected packets a second time, addressed to
 * the appliance on the proxy's own ports. Those are the proxy's connections, already recorded: they
 * must not become flows again (a CONNECT per intercepted connection), or the detector takes the
 * browsed host for an app's telemetry host and loses the alert.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventLog } from '../../lab/event-log.js';
import { sensorsBody } from '../../lab/leaks.js';
import { NAMES, createLab, labUnavailable } from '../../lab/lab.js';
import type { Lab } from '../../lab/lab.js';
import { startLeakwatch } from '../../lab/services.js';
import { ADDR, PORTS } from '../../lab/topology.js';
import { requirePrerequisites } from '../../support/prerequisites.js';

const unavailable = requirePrerequisites('the bridged-hotspot lab test', labUnavailable());
const API = `http://${ADDR.applianceHotspot}:${PORTS.api}`;

let lab: Lab | undefined;
let applianceCa = '';
const leakwatch = new EventLog<string>();
const phone = (args: string[]) => lab!.exec('phone', 'curl', ['-sS', '--max-time', '15', ...args]);

describe.runIf(!unavailable)('a bridged hotspot with br_netfilter', () => {
  beforeAll(async () => {
    lab = await createLab({ bridgedHotspot: true });
    applianceCa = await startLeakwatch(lab, (line) => leakwatch.push(line));
  }, 90_000);

  afterAll(() => lab?.destroy());

  it('records each intercepted request once, no CONNECT flow for it from capture, and raises the alert', async () => {
    const page = `https://${NAMES.news}/world/bridged-1`;
    expect((await phone(['--cacert', applianceCa, page])).stdout).toContain('/world/bridged-1');
    expect((await phone(['--cacert', applianceCa, '-A', 'Dalvik/2.1.0 (Linux; U; Android 10)', '--data', sensorsBody(page), `https://${NAMES.telemetry}/sa?project=global_browser_mini&r=SG`])).stdout).toBe('{"code":0}');
    expect(await leakwatch.waitFor((line) => line.includes(page), 15_000)).toMatch(/HIGH confirmed url .* → sa\.lab-sensors\.test .*\[china-linked\]/);

    const jar = `${lab!.paths.dir}/bridged-cookies`;
    await phone(['-c', jar, '-H', 'content-type: application/json', '--data', '{"password":"lab"}', `${API}/api/login`]);
    // Capture hands its flows on within a second of the packets.
    await new Promise((r) => setTimeout(r, 1500));
    const flows = async (query: string) => (JSON.parse((await phone(['-b', jar, `${API}/api/flows?${query}&limit=100`])).stdout) as { flows: { method: string; url: string; port: number }[] }).flows;
    expect((await flows(`host=${NAMES.news}`)).map((f) => [f.method, f.url])).toEqual([['GET', page]]);
    expect((await flows(`host=${NAMES.telemetry}`)).map((f) => f.method)).toEqual(['POST']);
    const all = await flows('since=1970-01-01T00:00:00Z');
    const proxyPorts: number[] = [PORTS.https, PORTS.http, PORTS.proxy];
    expect(all.filter((f) => proxyPorts.includes(f.port))).toEqual([]);
    expect(leakwatch.items.filter((line) => line.includes(page))).toHaveLength(1);
  });
});
