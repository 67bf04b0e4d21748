import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Flow } from '../../../appliance/src/model/index.js';
import { AllowedClients } from '../../../appliance/src/sources/proxy/allowed-clients.js';
import { loadOrCreateCa } from '../../../appliance/src/sources/proxy/ca.js';
import { InterceptingProxy } from '../../../appliance/src/sources/proxy/intercepting-proxy.js';
import { LeafCertificates } from '../../../appliance/src/sources/proxy/leaf-certs.js';
import type { SelfTestAnswer } from '../../../appliance/src/sources/proxy/self-test-answer.js';
import type { TlsFailureCause } from '../../../appliance/src/sources/proxy/tls-failure.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-selftest-'));
let proxy: InterceptingProxy;
let port = 0;
let caFile = '';
const flows: Flow[] = [];
const answers: SelfTestAnswer[] = [];
const refusals: { host: string; cause: TlsFailureCause }[] = [];
const passthroughs: string[] = [];

function curl(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile('curl', ['-sS', '--max-time', '10', '--proxy', `http://127.0.0.1:${port}`, ...args], (error, stdout) => resolve({ code: error ? Number(error.code) : 0, stdout }));
  });
}

beforeAll(async () => {
  const ca = await loadOrCreateCa(join(dir, 'ca-data'));
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, ca.certificatePem);
  proxy = new InterceptingProxy({ host: '127.0.0.1', port: 0, leaves: new LeafCertificates(ca), allowed: new AllowedClients(['127.0.0.0/8']), maxInspectBytes: 65536 });
  proxy.on('flow', (f) => flows.push(f));
  proxy.on('self-test', (a) => answers.push(a));
  proxy.on('tls-failure', ({ host, cause }) => refusals.push({ host, cause }));
  proxy.on('passthrough', ({ host }) => passthroughs.push(host));
  port = (await proxy.listen()).port;
});
afterAll(async () => {
  await proxy?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the proxy answers self-test names itself', () => {
  it('marks a plain-HTTP self-test request as having come through it, readable by the page from another origin, and records no flow', async () => {
    const r = await curl(['-i', '-H', 'origin: http://10.42.0.1', 'http://k2x9.selftest.leakwatch.internal/']);
    expect(r.stdout).toMatch(/^HTTP\/1\.1 200/);
    expect(r.stdout).toMatch(/access-control-allow-origin: \*/i);
    expect(r.stdout).toMatch(/cache-control: no-store/i);
    const body = JSON.parse(r.stdout.slice(r.stdout.indexOf('\r\n\r\n') + 4)) as SelfTestAnswer;
    expect(body).toEqual({ leakwatch: 'self-test', client: '127.0.0.1', scheme: 'http', host: 'k2x9.selftest.leakwatch.internal', time: expect.any(Number) });
    expect(answers.at(-1)).toEqual(body);
    await new Promise((r) => setTimeout(r, 50));
    expect(flows).toEqual([]);
  });

  it('answers over HTTPS to a browser that trusts the appliance CA', async () => {
    const r = await curl(['--cacert', caFile, 'https://k2x9.selftest.leakwatch.internal/']);
    expect(JSON.parse(r.stdout)).toMatchObject({ leakwatch: 'self-test', scheme: 'https' });
  });

  it('never passes a self-test name through when a client refuses the certificate, so every retry tests the CA again', async () => {
    for (let i = 0; i < 2; i++) expect((await curl(['https://n0ca.selftest.leakwatch.internal/'])).code).toBe(60);
    await new Promise((r) => setTimeout(r, 50));
    expect(refusals.filter((f) => f.host === 'n0ca.selftest.leakwatch.internal')).toHaveLength(2);
    expect(passthroughs).toEqual([]);
  });
});
