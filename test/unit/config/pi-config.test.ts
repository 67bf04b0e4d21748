import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../appliance/src/config/config.js';

describe('the Pi configuration (provisioning/config/leakwatch.json)', () => {
  it('loads and turns on transparent mode for the NetworkManager hotspot subnet', async () => {
    const config = await loadConfig(resolve(import.meta.dirname, '../../../provisioning/config/leakwatch.json'), {});
    expect(config).toMatchObject({ dataDir: '/var/lib/leakwatch', transparent: { enabled: true, httpPort: 8081, httpsPort: 8443 }, api: { host: '10.42.0.1', port: 80 }, proxy: { allowedClients: ['10.42.0.0/24', '127.0.0.0/8'] } });
  });
});
