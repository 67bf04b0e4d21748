import type { Alert, Flow } from '../../../appliance/src/model/index.js';

const T0 = Date.parse('2026-11-01T10:00:00Z');

export function alert(id: string, n: number, at = T0 + n * 1000): Alert {
  return {
    id,
    time: new Date(at).toISOString(),
    severity: 'high',
    confidence: 'confirmed',
    device: n % 2 ? 'phone-a' : 'phone-b',
    data: { kind: 'url', value: `https://news.example.org/${n}`, matched: `https://news.example.org/${n}`, form: 'url' },
    path: 'form:data_list → base64 → gzip → json:$[0].properties.url',
    destination: { host: 'sa.api.intl.miui.com', ip: '8.219.10.20', port: 443, asn: 45102, chinaLinked: n % 3 !== 0, reasons: ['test'] },
    flow: { id: `flow-${id}`, method: 'POST', url: 'https://sa.api.intl.miui.com/sa', time: new Date(at).toISOString(), source: 'proxy' },
    evidence: { excerpt: 'x', highlight: [0, 1], steps: [] },
  };
}

export function flowFor(a: Alert, bodyBytes = 2048): Flow {
  return {
    id: a.flow.id, device: a.device, time: Date.parse(a.time), method: 'POST', url: a.flow.url, headers: [],
    body: new Uint8Array(bodyBytes).fill(65), destination: { host: a.destination.host, port: 443, ip: '8.219.10.20' }, source: 'proxy', initiator: {},
  };
}
