import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../appliance/src/cli.js';
import type { Alert, AnalysisSummary } from '../../../appliance/src/model/index.js';
import { runCommand } from '../../support/run-command.js';
import { ALIBABA_OVERLAY, ALIBABA_STAND_IN, PAGE, PHONE, SA_HOST, browsingSession } from '../../fixtures/pcap/browsing-session.js';
import { writePcap, writePcapng } from '../../fixtures/pcap/capture-writer.js';
import { LINKTYPE, frame } from '../../fixtures/pcap/packets.js';

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await runCommand(main, argv);
  return { ...r, stdout: r.stdout.toString('utf8') };
}

let dir: string;
let overlay: string;
const files: Record<string, string> = {};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lw-analyze-pcap-'));
  overlay = join(dir, 'alibaba.json');
  writeFileSync(overlay, JSON.stringify(ALIBABA_OVERLAY));
  const session = browsingSession();
  const ethernet = session.map((p) => ({ time: p.time, data: frame(LINKTYPE.ethernet, p.ip) }));
  const sll2 = session.map((p) => ({ time: p.time, data: frame(LINKTYPE.linuxSll2, p.ip) }));
  const write = (name: string, bytes: Buffer) => writeFileSync((files[name] = join(dir, name)), bytes);
  write('session.pcap', writePcap(ethernet, { linkType: LINKTYPE.ethernet }));
  write('session.pcapng', writePcapng(sll2, { linkType: LINKTYPE.linuxSll2, tsresol: 9 }));
  const full = writePcap(ethernet, { linkType: LINKTYPE.ethernet });
  write('truncated.pcap', full.subarray(0, full.length - 150));
  write('garbage.pcap', Buffer.concat([Buffer.from('a1b2c3d4', 'hex'), Buffer.from('this is not a capture at all')]));
});

describe('leakwatch analyze with packet captures', () => {
  it.each(['session.pcap', 'session.pcapng'])('confirms the visited page leaking base64+gzip to Sensors Analytics on an Alibaba address (%s)', async (name) => {
    const { code, stdout } = await run('analyze', files[name]!, '--json', '--intel', overlay);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { alerts: Alert[]; summary: AnalysisSummary };
    expect(report.alerts).toHaveLength(1);
    expect(report.alerts[0]).toMatchObject({
      confidence: 'confirmed',
      device: PHONE,
      data: { kind: 'url', value: PAGE },
      path: 'form:data_list → base64 → gzip → json:$[0].properties.url',
      destination: { host: SA_HOST, ip: ALIBABA_STAND_IN, port: 8106, asn: 45102, chinaLinked: true },
      flow: { method: 'POST', url: `http://${SA_HOST}:8106/sa?project=global_browser_mini&r=SG`, source: 'pcap', id: 'pcap:0:2' },
    });
    expect(report.summary).toMatchObject({ files: 1, flows: 2, navigations: 1, alerts: 1, chinaLinkedAlerts: 1, tlsConnections: 1, problems: [] });
  });

  it('names the receiver network only through the overlay (the domain owner is known either way)', async () => {
    const { stdout } = await run('analyze', files['session.pcap']!, '--json');
    const [alert] = (JSON.parse(stdout) as { alerts: Alert[] }).alerts;
    expect(alert!.destination.asn).toBeUndefined();
    expect(alert!.destination.reasons).toEqual([expect.stringContaining('Xiaomi')]);
  });

  it('says in the readable report how many TLS connections it could not inspect', async () => {
    const { stdout } = await run('analyze', files['session.pcap']!, '--intel', overlay);
    expect(stdout).toContain('1 TLS connection seen by server name (SNI): encrypted, not inspected');
    expect(stdout).toContain(`confirmed visited URL: ${PAGE}`);
  });

  it('reports a truncated capture as an input problem, with the alert from what was read, and exits 0', async () => {
    const { code, stdout } = await run('analyze', files['truncated.pcap']!, '--json', '--intel', overlay);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { alerts: Alert[]; summary: AnalysisSummary };
    expect(report.alerts).toHaveLength(1);
    expect(report.summary.problems).toEqual([{ file: files['truncated.pcap'], at: 'file', reason: expect.stringMatching(/truncated\?/) }]);
  });

  it('exits 2 with a clear message for a file that only starts like a pcap', async () => {
    const { code, stderr } = await run('analyze', files['garbage.pcap']!);
    expect(code).toBe(2);
    expect(stderr).toContain(`${files['garbage.pcap']}: pcap version`);
    expect(stderr).toContain('is it a pcap capture?');
  });
});
