import type { FastifyInstance } from 'fastify';
import type { Passthrough } from '../../sources/proxy/passthrough.js';
import type { DnsLookup } from '../../sources/capture/dns-lookups.js';
import type { PeerTraffic } from '../../sources/capture/traffic-counters.js';
import type { Attribution } from '../../model/index.js';
import type { DeviceStore, FlowStore } from '../../store/index.js';
import { sendError } from '../errors.js';
import { errorSchema } from '../schemas.js';

const nullableString = { type: ['string', 'null'] } as const;

const deviceSchema = {
  type: 'object',
  required: ['id', 'name', 'mac', 'ip', 'hostname', 'vendor', 'vendorCountry', 'randomisedMac', 'firstSeen', 'lastSeen', 'alerts', 'unread'],
  properties: {
    id: { type: 'string', description: 'the MAC address when the hotspot knows it, else the client IP' },
    name: { ...nullableString, description: 'the name the admin gave it' },
    mac: nullableString,
    ip: nullableString,
    hostname: { ...nullableString, description: 'the name the device sent to DHCP' },
    vendor: { ...nullableString, description: 'IEEE registrant of the MAC prefix; null for randomised MACs' },
    vendorCountry: nullableString,
    randomisedMac: { type: ['boolean', 'null'], description: 'a locally administered (private) MAC; null when no MAC is known' },
    firstSeen: { type: 'integer' },
    lastSeen: { type: 'integer' },
    alerts: { type: 'integer', description: 'alerts raised on its traffic' },
    unread: { type: 'integer', description: 'of those, not yet acknowledged' },
  },
} as const;

const trafficSchema = {
  type: 'object',
  required: ['peer', 'bytesOut', 'bytesIn', 'packetsOut', 'packetsIn', 'tcpPorts', 'dnsOverTlsAttempts', 'quicPackets', 'dnsPackets', 'firstSeen', 'lastSeen'],
  properties: {
    peer: { type: 'string', description: 'the IP address on the other end' },
    name: { type: 'string', description: 'what DNS answers to the device named it' },
    bytesOut: { type: 'integer' }, bytesIn: { type: 'integer' }, packetsOut: { type: 'integer' }, packetsIn: { type: 'integer' },
    tcpPorts: { type: 'array', items: { type: 'integer' }, description: 'TCP ports the device opened connections to' },
    dnsOverTlsAttempts: { type: 'integer', description: 'connection attempts to TCP 853 (DNS-over-TLS), which the hotspot blocks' },
    quicPackets: { type: 'integer', description: 'UDP packets to port 443 (QUIC), which the hotspot drops so apps fall back to TCP' },
    dnsPackets: { type: 'integer', description: 'UDP packets to port 53: DNS queries to this address' },
    firstSeen: { type: 'integer' }, lastSeen: { type: 'integer' },
    network: {
      type: 'object',
      description: "who the address belongs to, from the appliance's offline IP database; absent when it could not be asked",
      required: ['chinaLinked', 'reasons'],
      properties: {
        asn: { type: 'integer' }, org: { type: 'string' }, country: { type: 'string' }, owner: { type: 'string' }, ownerCountry: { type: 'string' },
        chinaLinked: { type: 'boolean' },
        chinaLink: { type: 'string', enum: ['owned-by', 'hosted-in'], description: 'what made it china-linked: a Chinese owner, or only the registry country of the address block' },
        reasons: { type: 'array', items: { type: 'string' } },
      },
    },
  },
} as const;

const passthroughSchema = {
  type: 'object',
  required: ['host', 'count', 'last', 'reason', 'until'],
  properties: {
    host: { type: 'string' }, count: { type: 'integer', description: 'connections relayed untouched' }, last: { type: 'integer' },
    reason: {
      type: ['string', 'null'], enum: ['certificate-rejected', 'repeated-refusals', 'refused-after-accepting', null],
      description: 'why it passes through now: a TLS alert refusing our certificate; handshakes hung up again and again; an app that took our certificate before and now rejects it. null: not now (the list also holds hosts passed through earlier)',
    },
    until: { type: ['integer', 'null'], description: 'when it is tried (intercepted) again' },
  },
} as const;

const lookupSchema = {
  type: 'object',
  required: ['name', 'addresses', 'count', 'firstSeen', 'lastSeen'],
  properties: { name: { type: 'string' }, addresses: { type: 'array', items: { type: 'string' } }, count: { type: 'integer' }, firstSeen: { type: 'integer' }, lastSeen: { type: 'integer' } },
} as const;

/** What packet capture knows of a device; absent while capture is off. */
export interface DeviceActivity {
  traffic(device: string): PeerTraffic[];
  dnsLookups(device: string): DnsLookup[];
}

const CAPTURE_OFF = 'packet capture is off, so traffic is not counted; set capture.enabled to true and restart';

export interface DeviceRouteDeps {
  devices: DeviceStore;
  flows: FlowStore;
  activity?: DeviceActivity;
  /** Who addresses belong to (the inspection thread's intel tables). */
  attribute?: (ips: readonly string[]) => Promise<Attribution[]>;
  /** The proxy's passthroughs in force now, each with its device's id. */
  passthroughs?: () => Passthrough[];
}

/** The devices seen on the hotspot, and the names the admin gives them (admin). */
export async function deviceRoutes(app: FastifyInstance, deps: DeviceRouteDeps): Promise<void> {
  app.get('/api/devices', { schema: { response: { 200: { type: 'array', items: deviceSchema } } } }, async () => deps.devices.list());

  app.get<{ Params: { id: string } }>('/api/devices/:id/traffic', {
    schema: { params: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } }, response: { 200: { type: 'array', items: trafficSchema }, 409: errorSchema } },
  }, async (req, reply) => {
    if (!deps.activity) return sendError(reply, 'LW_ERR_CAPTURE_OFF', CAPTURE_OFF);
    const traffic = deps.activity.traffic(req.params.id);
    // Best effort: the table still answers when the thread that knows the networks is restarting.
    const networks = await deps.attribute?.(traffic.map((t) => t.peer)).catch(() => undefined);
    return traffic.map((t, i) => {
      const n = networks?.[i];
      if (!n) return t;
      const { asn, org, country, owner, ownerCountry, chinaLinked, chinaLink, reasons } = n;
      return { ...t, network: { asn, org, country, owner, ownerCountry, chinaLinked, chinaLink, reasons } };
    });
  });

  app.get<{ Params: { id: string } }>('/api/devices/:id/passthrough', {
    schema: {
      description: "hosts this device's apps refused to let leakwatch intercept (a pinning app, or the CA not trusted): relayed untouched, so what it sent them was not seen; those passed through now with the reason and when they are tried again",
      params: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
      response: { 200: { type: 'array', items: passthroughSchema } },
    },
  }, async (req) => {
    const hosts = new Map(deps.flows.passedThrough(req.params.id).map((h) => [h.host, { ...h, reason: null as Passthrough['reason'] | null, until: null as number | null }]));
    for (const p of deps.passthroughs?.() ?? []) {
      if (p.device !== req.params.id) continue;
      hosts.set(p.host, { ...(hosts.get(p.host) ?? { host: p.host, count: 0, last: p.since }), reason: p.reason, until: p.until });
    }
    return [...hosts.values()].sort((a, b) => b.last - a.last);
  });

  app.get<{ Params: { id: string } }>('/api/devices/:id/dns', {
    schema: { params: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } }, response: { 200: { type: 'array', items: lookupSchema }, 409: errorSchema } },
  }, async (req, reply) => (deps.activity ? deps.activity.dnsLookups(req.params.id) : sendError(reply, 'LW_ERR_CAPTURE_OFF', CAPTURE_OFF)));

  app.patch<{ Params: { id: string }; Body: { name: string | null } }>('/api/devices/:id', {
    schema: {
      params: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
      body: { type: 'object', required: ['name'], properties: { name: { type: ['string', 'null'], minLength: 1, maxLength: 100, description: 'null clears the name' } } },
      response: { 200: { type: 'object', properties: { id: { type: 'string' }, name: nullableString } }, 404: errorSchema },
    },
  }, async (req, reply) => {
    const name = req.body.name?.trim() || null;
    if (!deps.devices.rename(req.params.id, name)) return sendError(reply, 'LW_ERR_DEVICE_NOT_FOUND', `no device ${req.params.id}; GET /api/devices lists the devices seen`);
    return { id: req.params.id, name };
  });
}
