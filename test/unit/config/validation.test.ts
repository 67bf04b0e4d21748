import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../appliance/src/cli.js';
import { ConfigError, loadConfig } from '../../../appliance/src/config/config.js';
import { runCommand } from '../../support/run-command.js';

/**
 * Every way a setting can be wrong stops `leakwatch start` with one message that names the setting,
 * where its value came from, what is wrong and what to do.
 */
const dir = mkdtempSync(join(tmpdir(), 'lw-validate-'));
let n = 0;
const file = (content: unknown, name = `c${n++}.json`) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};
const pem = file('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', 'ca.pem');
const notPem = file('just text', 'ca.txt');
const badOverlay = file({ ranges: [{ cidr: '10.99.0.0/33' }] }, 'bad-intel.json');
const locked = file('{"ranges": []}', 'locked.json');
chmodSync(locked, 0);
const missing = join(dir, 'missing.pem');

/** The error loading `content` (as a config file) with `env` gives, its file path written FILE. */
async function problem(content: unknown, env: NodeJS.ProcessEnv = {}): Promise<{ message: string; setting: string | undefined }> {
  const path = content === undefined ? undefined : file(content);
  const error = await loadConfig(path, env).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  const { message, setting } = error as ConfigError;
  return { message: path ? message.replaceAll(path, 'FILE') : message, setting };
}

describe('config validation: each problem, named with its setting and source', () => {
  it.each([
    // Names: typos get the closest setting.
    ['unknown key, with the setting meant', { proxy: { prot: 3128 } }, {}, 'proxy.prot', /FILE: unknown setting proxy\.prot; did you mean proxy\.port\?/],
    ['unknown section', { mqqt: { url: 'mqtt://x' } }, {}, 'mqqt', /FILE: unknown setting mqqt; did you mean mqtt\?/],
    ['setting at the wrong level', { port: 3128 }, {}, 'port', /FILE: unknown setting port; did you mean proxy\.port\?/],
    ['typo in a nested section', { mqtt: { embeded: { enabled: true } } }, {}, 'mqtt.embeded', /unknown setting mqtt\.embeded; did you mean mqtt\.embedded\?/],
    ['section that is not an object', { proxy: 3128 }, {}, 'proxy', /FILE: proxy must be an object of settings \(proxy\.host, proxy\.port/],
    ['mistyped variable', undefined, { LEAKWATCH_PROXY_PROT: '3128' }, undefined, /environment LEAKWATCH_PROXY_PROT: not a leakwatch setting; did you mean LEAKWATCH_PROXY_PORT\?/],
    // Values: wrong type, range, form.
    ['wrong type', { transparent: { enabled: 'yes' } }, {}, 'transparent.enabled', /FILE: transparent\.enabled "yes" is not true or false/],
    ['port out of range', {}, { LEAKWATCH_API_PORT: '65536' }, 'api.port', /environment LEAKWATCH_API_PORT: api\.port "65536" is not a port \(1-65535\)/],
    ['number given as text where a list is expected', { proxy: { allowedClients: '10.42.0.0/24' } }, {}, 'proxy.allowedClients', /must be a list of strings \(a JSON array in the file/],
    ['bad CIDR', { proxy: { allowedClients: ['10.42.0.0/24', '10.42.0.300/24'] } }, {}, 'proxy.allowedClients', /entry "10\.42\.0\.300\/24" is not a CIDR like 10\.42\.0\.0\/24/],
    ['bad address', { api: { host: 'my host' } }, {}, 'api.host', /FILE: api\.host "my host" is not an address: give an IP address like 10\.42\.0\.1/],
    ['broker URL without a scheme', { mqtt: { url: '192.168.1.10:1883' } }, {}, 'mqtt.url', /mqtt\.url "192\.168\.1\.10:1883" is not a broker URL: write it like mqtt:\/\/192\.168\.1\.10:1883/],
    ['broker URL over http', {}, { LEAKWATCH_MQTT_URL: 'http://broker.lan' }, 'mqtt.url', /environment LEAKWATCH_MQTT_URL: mqtt\.url "http:\/\/broker\.lan" is not a broker URL/],
    ['wildcard in the topic prefix', { mqtt: { prefix: 'home/#' } }, {}, 'mqtt.prefix', /mqtt\.prefix "home\/#" is not a topic prefix: .* no \+ or #/],
    ['appliance id with a slash', { mqtt: { applianceId: 'pi/1' } }, {}, 'mqtt.applianceId', /mqtt\.applianceId "pi\/1" is not a name .* letters, digits, _ and -/],
    ['empty text', { api: { password: '' } }, {}, 'api.password', /FILE: api\.password must be a non-empty string/],
    // Files: read now, not at the first TLS connection.
    ['missing CA file', { mqtt: { url: 'mqtts://broker.lan', caFile: missing } }, {}, 'mqtt.caFile', /FILE: mqtt\.caFile ".*missing\.pem" cannot be read \(ENOENT\): give the path of a PEM CA certificate/],
    ['CA file that is not PEM', {}, { LEAKWATCH_PROXY_UPSTREAM_CA_FILE: notPem }, 'proxy.upstreamCaFile', /environment LEAKWATCH_PROXY_UPSTREAM_CA_FILE: proxy\.upstreamCaFile ".*ca\.txt" holds no PEM certificate/],
    ['missing overlay', { intel: { overlayFiles: [join(dir, 'nope.json')] } }, {}, 'intel.overlayFiles', /FILE: intel\.overlayFiles ".*nope\.json" cannot be read \(ENOENT\)/],
    ['invalid overlay', { intel: { overlayFiles: [badOverlay] } }, {}, 'intel.overlayFiles', /FILE: intel\.overlayFiles: .*bad-intel\.json: ranges\[0\]\.cidr "10\.99\.0\.0\/33" is not a valid CIDR/],
    // Settings that cannot go together.
    ['embedded broker and a broker URL', { mqtt: { url: 'mqtt://broker.lan', embedded: { enabled: true } } }, {}, 'mqtt.embedded.enabled', /FILE: mqtt\.embedded\.enabled is true while FILE sets mqtt\.url \(mqtt:\/\/broker\.lan\): .*remove mqtt\.url .* or set mqtt\.embedded\.enabled to false/],
    ['embedded from the environment, URL from the file', { mqtt: { url: 'mqtt://broker.lan' } }, { LEAKWATCH_MQTT_EMBEDDED_ENABLED: 'true' }, 'mqtt.embedded.enabled', /^environment LEAKWATCH_MQTT_EMBEDDED_ENABLED: mqtt\.embedded\.enabled is true while FILE sets mqtt\.url/],
    ['CA file for a broker without TLS', { mqtt: { url: 'mqtt://broker.lan', caFile: pem } }, {}, 'mqtt.caFile', /mqtt\.caFile is set but mqtt\.url \(FILE\) is mqtt:\/\/broker\.lan, without TLS: write mqtts:\/\//],
    ['password without user', { mqtt: { url: 'mqtt://broker.lan', password: 'secret' } }, {}, 'mqtt.password', /mqtt\.password is set without mqtt\.username/],
    ['no allowed clients', { proxy: { allowedClients: [] } }, {}, 'proxy.allowedClients', /proxy\.allowedClients is empty, so the proxy would refuse every device/],
    ['capture ring too small', { capture: { bufferBytes: 65536 } }, {}, 'capture.bufferBytes', /^FILE: capture\.bufferBytes is 65536: give 1 MiB \(1048576\) to 256 MiB \(268435456\)/],
    ['capture ring larger than a Pi can spare', {}, { LEAKWATCH_CAPTURE_BUFFER_BYTES: String(512 * 1024 * 1024) }, 'capture.bufferBytes', /^environment LEAKWATCH_CAPTURE_BUFFER_BYTES: capture\.bufferBytes is 536870912: give 1 MiB/],
    ['transparent port equal to the API port', { transparent: { enabled: true, httpPort: 8080 } }, {}, 'transparent.httpPort', /FILE: transparent\.httpPort 8080 is also api\.port \(default\), on 0\.0\.0\.0 and 127\.0\.0\.1: two listeners cannot share a port — give transparent\.httpPort another port/],
    ['API port set onto the proxy port', {}, { LEAKWATCH_API_PORT: '8888' }, 'api.port', /environment LEAKWATCH_API_PORT: api\.port 8888 is also proxy\.port \(default\)/],
    ['embedded broker on the proxy port', { mqtt: { embedded: { enabled: true, port: 8888 } } }, {}, 'mqtt.embedded.port', /FILE: mqtt\.embedded\.port 8888 is also proxy\.port \(default\)/],
  ])('%s', async (_name, content, env, setting, message) => {
    const error = await problem(content, env);
    expect(error.message).toMatch(message);
    expect(error.setting).toBe(setting);
  });

  it('reads an unreadable overlay as unreadable (mode 000)', async () => {
    if (process.getuid?.() === 0) return; // root reads anything; the ENOENT case above covers the message
    expect((await problem({ intel: { overlayFiles: [locked] } })).message).toMatch(/cannot be read \(EACCES\)/);
  });

  it('accepts the same port on different addresses, and ports of listeners that are off', async () => {
    const config = await loadConfig(file({ api: { host: '127.0.0.2', port: 8888 }, transparent: { httpPort: 8888 }, mqtt: { embedded: { port: 8080 } } }), {});
    expect(config.api).toMatchObject({ host: '127.0.0.2', port: 8888 });
  });

  it('leaves variables of other sections alone (LEAKWATCH_BENCH_SECONDS belongs to the bench)', async () => {
    await expect(loadConfig(undefined, { LEAKWATCH_BENCH_SECONDS: '3' })).resolves.toMatchObject({ proxy: { port: 8888 } });
  });
});

describe('leakwatch start with a bad setting', () => {
  it('prints the message and exits 2 without starting anything', async () => {
    const bad = file({ dataDir: join(dir, 'never'), proxy: { prot: 3128 } });
    const { code, stderr } = await runCommand(main, ['start', '--config', bad]);
    expect(code).toBe(2);
    expect(stderr).toBe(`leakwatch: ${bad}: unknown setting proxy.prot; did you mean proxy.port? (every setting is listed in appliance/src/config/README.md)\n`);
  });
});
