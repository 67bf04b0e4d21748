import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, loadConfig } from '../../../appliance/src/config/config.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-config-'));
const file = (content: unknown) => {
  const path = join(dir, `c${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

describe('loadConfig', () => {
  it('serves a laptop by default: explicit proxy on loopback, data in ./data', async () => {
    expect(await loadConfig(undefined, {})).toEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG.proxy).toMatchObject({ host: '127.0.0.1', port: 8888 });
    expect(DEFAULT_CONFIG.transparent.enabled).toBe(false);
  });

  it('takes the file, then the environment', async () => {
    const [a, b] = [file({ ranges: [] }), file({ domains: [] })];
    const config = await loadConfig(file({ dataDir: '/var/lib/leakwatch', proxy: { port: 3128 } }), { LEAKWATCH_PROXY_PORT: '8081', LEAKWATCH_INTEL_FILES: `${a}, ${b}` });
    expect(config).toMatchObject({ dataDir: '/var/lib/leakwatch', proxy: { port: 8081 }, intel: { overlayFiles: [a, b] } });
  });

  it.each([
    [{ proxy: { port: 70000 } }, {}, /proxy\.port 70000 is not a port \(1-65535\)/],
    [{ proxy: { allowedClients: ['10.42.0.0/33'] } }, {}, /proxy\.allowedClients entry "10\.42\.0\.0\/33" is not a CIDR/],
    [{}, { LEAKWATCH_PROXY_MAX_INSPECT_BYTES: 'lots' }, /environment LEAKWATCH_PROXY_MAX_INSPECT_BYTES: proxy\.maxInspectBytes "lots" is not a byte count/],
  ])('says what is wrong and where: %j %j', async (content, env, message) => {
    await expect(loadConfig(file(content), env)).rejects.toThrow(message);
  });

  it('names a config file it cannot read', async () => {
    await expect(loadConfig(join(dir, 'missing.json'), {})).rejects.toThrow(/missing\.json: cannot read the config file \(ENOENT\)/);
    await expect(loadConfig(file('{nope'), {})).rejects.toThrow(/cannot read the config file/);
  });
});
