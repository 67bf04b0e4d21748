import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../appliance/src/config/config.js';
import { renderInstall } from '../../lab/installer.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-pi-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the Pi configuration (provisioning/config/leakwatch.json, as the installer renders it)', () => {
  it('loads and turns on transparent mode and capture for the hotspot, the page on port 80 and 443', async () => {
    const install = renderInstall(dir, { HOTSPOT_IF: 'wlan0', UPLINK_IF: 'eth0', SUBNET: '10.43.0.0/24', LEASE_FILE: '/var/lib/misc/dnsmasq.leases' });
    const config = await loadConfig(install.config, {});
    expect(config).toMatchObject({
      dataDir: '/var/lib/leakwatch',
      transparent: { enabled: true, httpPort: 8081, httpsPort: 8443 },
      api: { host: '10.43.0.1', port: 80, httpsPort: 443 },
      proxy: { host: '10.43.0.1', port: 8888, allowedClients: ['10.43.0.0/24', '127.0.0.0/8'] },
      devices: { leaseFile: '/var/lib/misc/dnsmasq.leases' },
      capture: { enabled: true, interface: 'wlan0' },
    });
  });
});
