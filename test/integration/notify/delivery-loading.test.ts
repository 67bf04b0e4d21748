import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../support/ports.js';

describe('MQTT delivery loads its libraries only when a broker is configured', () => {
  it('leaves the MQTT client and the broker unloaded without MQTT, and loads both for the embedded broker', async () => {
    // A fresh Node: the test runner has loaded everything already. The same child then starts the
    // embedded broker, so a check that could never see those libraries would fail here.
    const root = resolve(import.meta.dirname, '../../..');
    const port = await freePort();
    const script = `(async () => {
      // aedes itself is an ES module (not in require.cache); its persistence, which it loads, is CommonJS.
      const loaded = () => ['mqtt', 'aedes-persistence'].filter((m) => Object.keys(require.cache).some((k) => k.includes('/node_modules/' + m + '/')));
      const { startDelivery } = await import(${JSON.stringify(join(root, 'appliance/src/notify/delivery.ts'))});
      const { DEFAULT_CONFIG } = await import(${JSON.stringify(join(root, 'appliance/src/config/settings.ts'))});
      const outbox = { pending: () => [], size: () => 0, delivered: () => undefined };
      const auth = { matches: () => false };
      const none = await startDelivery(DEFAULT_CONFIG, outbox, auth, () => undefined);
      const withoutMqtt = { publisher: none.publisher === undefined, loaded: loaded() };
      const config = { ...DEFAULT_CONFIG, mqtt: { ...DEFAULT_CONFIG.mqtt, embedded: { enabled: true, host: '127.0.0.1', port: ${port} } } };
      const said = [];
      const embedded = await startDelivery(config, outbox, auth, (m) => said.push(m));
      const withBroker = { publisher: embedded.publisher !== undefined, loaded: loaded(), said: said.some((m) => m.includes('embedded MQTT broker on 127.0.0.1:${port}')) };
      await embedded.stop(100);
      process.stdout.write(JSON.stringify({ withoutMqtt, withBroker }));
      process.exit(0);
    })();`;
    const seen = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, encoding: 'utf8' })) as Record<string, unknown>;
    expect(seen).toEqual({ withoutMqtt: { publisher: true, loaded: [] }, withBroker: { publisher: true, loaded: ['mqtt', 'aedes-persistence'], said: true } });
  });
});
