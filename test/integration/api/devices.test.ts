import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceStore } from '../../../appliance/src/store/index.js';
import { testApi } from './app.js';
import type { TestApi } from './app.js';

const PHONE = 'da:a1:19:3c:4e:01';
let withCapture: TestApi;
let withoutCapture: TestApi;

beforeAll(async () => {
  withCapture = await testApi({
    activity: {
      traffic: (device) => (device === PHONE ? [{ peer: '8.219.10.20', name: 'sa.api.intl.miui.com', bytesOut: 500, bytesIn: 1500, packetsOut: 3, packetsIn: 2, tcpPorts: [443, 853], dnsOverTlsAttempts: 2, quicPackets: 0, dnsPackets: 0, firstSeen: 1, lastSeen: 2 }] : []),
      dnsLookups: (device) => (device === PHONE ? [{ name: 'sa.api.intl.miui.com', addresses: ['8.219.10.20'], count: 3, firstSeen: 1, lastSeen: 2 }] : []),
    },
  });
  withoutCapture = await testApi();
  new DeviceStore(withCapture.db).record({ id: PHONE, ip: '10.42.0.23', mac: PHONE, hostname: 'Redmi-Note-8', randomisedMac: true }, 1000);
});
afterAll(async () => {
  await withCapture?.app.close();
  await withoutCapture?.app.close();
});

describe('devices', () => {
  it('lists what the hotspot knows of each device', async () => {
    const r = await withCapture.app.inject({ method: 'GET', url: '/api/devices', headers: { cookie: withCapture.cookie } });
    expect(r.json()).toEqual([{ id: PHONE, name: null, mac: PHONE, ip: '10.42.0.23', hostname: 'Redmi-Note-8', vendor: null, vendorCountry: null, randomisedMac: true, firstSeen: 1000, lastSeen: 1000, alerts: 0, unread: 0 }]);
  });

  it("shows a device's destinations when capture is on, and says how to turn it on when it is off", async () => {
    const on = await withCapture.app.inject({ method: 'GET', url: `/api/devices/${PHONE}/traffic`, headers: { cookie: withCapture.cookie } });
    expect(on.json()).toEqual([{ peer: '8.219.10.20', name: 'sa.api.intl.miui.com', bytesOut: 500, bytesIn: 1500, packetsOut: 3, packetsIn: 2, tcpPorts: [443, 853], dnsOverTlsAttempts: 2, quicPackets: 0, dnsPackets: 0, firstSeen: 1, lastSeen: 2 }]);
    const off = await withoutCapture.app.inject({ method: 'GET', url: `/api/devices/${PHONE}/traffic`, headers: { cookie: withoutCapture.cookie } });
    expect(off.statusCode).toBe(409);
    expect(off.json()).toEqual({ error: 'LW_ERR_CAPTURE_OFF', message: 'packet capture is off, so traffic is not counted; set capture.enabled to true and restart' });
    expect((await withCapture.app.inject({ method: 'GET', url: `/api/devices/${PHONE}/traffic` })).statusCode).toBe(401);
    const dns = await withCapture.app.inject({ method: 'GET', url: `/api/devices/${PHONE}/dns`, headers: { cookie: withCapture.cookie } });
    expect(dns.json()).toEqual([{ name: 'sa.api.intl.miui.com', addresses: ['8.219.10.20'], count: 3, firstSeen: 1, lastSeen: 2 }]);
    expect((await withoutCapture.app.inject({ method: 'GET', url: `/api/devices/${PHONE}/dns`, headers: { cookie: withoutCapture.cookie } })).statusCode).toBe(409);
  });
});
