import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../appliance/src/cli.js';
import { runCommand } from '../../support/run-command.js';
import type { Alert, AnalysisSummary } from '../../../appliance/src/model/index.js';

/** Runs the CLI in-process with captured output, as a user would run `leakwatch ...`. */
async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await runCommand(main, argv);
  return { ...r, stdout: r.stdout.toString('utf8') };
}

const PAGE = 'https://www.theguardian.com/world/2026/nov/01/some-story?CMP=share';
const SA_URL = 'https://sa.api.intl.miui.com/sa?project=global_browser_mini&r=SG';

function entry(url: string, init: { method?: string; headers?: Record<string, string>; body?: string; ip?: string; time: string; mime?: string }) {
  return {
    startedDateTime: init.time,
    time: 10,
    request: {
      method: init.method ?? 'GET',
      url,
      httpVersion: 'HTTP/1.1',
      headers: Object.entries(init.headers ?? {}).map(([name, value]) => ({ name, value })),
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: init.body?.length ?? 0,
      ...(init.body !== undefined ? { postData: { mimeType: 'application/x-www-form-urlencoded', text: init.body } } : {}),
    },
    response: { status: 200, statusText: 'OK', httpVersion: 'HTTP/1.1', headers: [], cookies: [], content: { size: 0, mimeType: init.mime ?? 'text/plain' }, redirectURL: '', headersSize: -1, bodySize: 0 },
    cache: {},
    timings: { send: 0, wait: 10, receive: 0 },
    serverIPAddress: init.ip ?? '',
  };
}

let dir: string;
let leaky: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lw-cli-'));
  const data = gzipSync(Buffer.from(JSON.stringify([{ event: 'page_load_event_finish', properties: { url: PAGE } }]))).toString('base64');
  const har = {
    log: {
      version: '1.2',
      creator: { name: 'test', version: '1' },
      entries: [
        entry(PAGE, { time: '2026-11-01T10:00:00.000Z', headers: { 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Dest': 'document' }, mime: 'text/html', ip: '151.101.1.111' }),
        entry(SA_URL, {
          method: 'POST', time: '2026-11-01T10:00:15.000Z', ip: '8.219.10.20',
          headers: { 'User-Agent': 'Dalvik/2.1.0 (Linux; U; Android 10)', 'Content-Type': 'application/x-www-form-urlencoded' },
          body: `crc=1&gzip=1&data_list=${encodeURIComponent(data)}`,
        }),
      ],
    },
  };
  leaky = join(dir, 'leaky.har');
  writeFileSync(leaky, JSON.stringify(har));
});

describe('leakwatch analyze', () => {
  it('prints the alert JSON with the request exactly as recorded, and exits 0', async () => {
    const { code, stdout } = await run('analyze', leaky, '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { alerts: Alert[]; summary: AnalysisSummary };
    expect(report.alerts).toHaveLength(1);
    expect(report.alerts[0]).toMatchObject({
      confidence: 'confirmed',
      severity: 'high',
      data: { kind: 'url', value: PAGE },
      path: 'form:data_list → base64 → gzip → json:$[0].properties.url',
      destination: { host: 'sa.api.intl.miui.com', ip: '8.219.10.20', asn: 45102, chinaLinked: true },
      flow: { method: 'POST', url: SA_URL, source: 'har' },
    });
    expect(report.summary).toMatchObject({ files: 1, flows: 2, navigations: 1, alerts: 1, chinaLinkedAlerts: 1 });
  });

  it('writes a readable report naming the receiver and the chain', async () => {
    const { code, stdout } = await run('analyze', leaky);
    expect(code).toBe(0);
    expect(stdout).toContain('sa.api.intl.miui.com');
    expect(stdout).toContain('AS45102');
    expect(stdout).toContain('china-linked');
    expect(stdout).toContain('form:data_list → base64 → gzip → json:$[0].properties.url');
    expect(stdout).toContain(`»${PAGE}«`);
  });

  it('exits 1 when --fail-on is met and 0 when it is not', async () => {
    expect((await run('analyze', leaky, '--fail-on', 'high')).code).toBe(1);
    expect((await run('analyze', leaky, '--fail-on', 'critical')).code).toBe(0);
  });

  it.each([
    ['a missing file', () => join(dir, 'nope.har'), /nope\.har/],
    ['a file that is not HAR', () => { const f = join(dir, 'page.har'); writeFileSync(f, '<!DOCTYPE html><html></html>'); return f; }, /page\.har: .*not a HAR/i],
  ])('exits 2 with a clear message for %s', async (_name, file, message) => {
    const { code, stderr } = await run('analyze', file());
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('still reports what it read from a truncated file, then exits 2', async () => {
    const full = readFileSync(leaky, 'utf8');
    const truncated = join(dir, 'truncated.har');
    writeFileSync(truncated, full.slice(0, full.length - 40));
    const { code, stdout, stderr } = await run('analyze', truncated, '--json');
    expect(code).toBe(2);
    expect(JSON.parse(stdout).summary.flows).toBe(1);
    expect(stderr).toMatch(/truncated\.har/);
  });

  it('counts in words a reader expects: 1 file, 2 requests (1 page load), 1 alert', async () => {
    expect((await run('analyze', leaky)).stdout).toMatch(/^leakwatch: 1 file, 2 requests \(1 page load\), 1 alert\b/);
  });

  it('every command answers --help with its usage, exit 0, and runs nothing', async () => {
    for (const argv of [['analyze'], ['start'], ['ca'], ['ca', 'export'], ['password'], ['doctor']]) {
      const help = await run(...argv, '--help');
      expect([argv, help.code, help.stderr]).toEqual([argv, 0, '']);
      expect(help.stdout).toMatch(new RegExp(`^usage: leakwatch ${argv[0]}\\b`));
    }
    expect((await run('analyze', '-h')).stdout).toMatch(/^usage: leakwatch analyze FILE\.\.\./);
  });

  it('exports the appliance CA as PEM, and as DER with --der', async () => {
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ dataDir: join(dir, 'data') }));
    const pem = await run('ca', 'export', '--config', config);
    expect(pem.code).toBe(0);
    expect(pem.stdout).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n?$/);
    const der = await run('ca', 'export', '--der', '--config', config);
    expect(der.code).toBe(0);
    expect(der.stdout.length).toBeGreaterThan(200);
  });

  it('rejects bad usage with exit 2 and the usage text', async () => {
    expect((await run('analyze')).code).toBe(2);
    expect((await run('analyze', leaky, '--fail-on', 'severe')).stderr).toMatch(/--fail-on takes one of low, medium, high, critical/);
    expect((await run('frobnicate')).code).toBe(2);
    const hostedIn = await run('analyze', leaky, '--hosted-in', 'constructor');
    expect([hostedIn.code, hostedIn.stderr]).toEqual([2, expect.stringContaining('--hosted-in takes all, mainland or none, not "constructor"')]);
  });

  it('says what kind of china link each reason is, and lets --hosted-in none count ownership only', async () => {
    const json = JSON.parse((await run('analyze', leaky, '--json', '--hosted-in', 'none')).stdout) as { alerts: Alert[] };
    expect(json.alerts.map((a) => [a.destination.chinaLinked, a.destination.chinaLink])).toEqual([[true, 'owned-by']]);
    expect(json.alerts[0]!.destination.reasons.every((r) => r.startsWith('owned by: '))).toBe(true);
    expect((await run('analyze', leaky)).stdout).toContain('- owned by: network AS45102');
  });
  it('loads the service (fastify) only for start, so analyze starts without it', () => {
    // A fresh Node: the test runner has loaded everything already. The same child then loads start,
    // so a check that could never see those libraries would fail here.
    const root = resolve(import.meta.dirname, '../../..');
    const script = `(async () => {
      const loaded = () => ['fastify', 'mqtt'].filter((m) => Object.keys(require.cache).some((k) => k.includes('/node_modules/' + m + '/')));
      const { main } = await import(${JSON.stringify(join(root, 'appliance/src/cli.ts'))});
      const sink = new (require('node:stream').Writable)({ write: (_chunk, _encoding, done) => done() });
      const code = await main(['analyze', ${JSON.stringify(join(root, 'examples/mint-browser-session.har'))}], { stdout: sink, stderr: sink });
      const afterAnalyze = loaded();
      await import(${JSON.stringify(join(root, 'appliance/src/commands/start.ts'))});
      process.stdout.write(JSON.stringify({ code, afterAnalyze, afterStart: loaded() }));
    })();`;
    const seen = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, encoding: 'utf8' })) as Record<string, unknown>;
    // MQTT waits for a configured broker (test/integration/notify/delivery-loading.test.ts).
    expect(seen).toEqual({ code: 0, afterAnalyze: [], afterStart: ['fastify'] });
  });
});
