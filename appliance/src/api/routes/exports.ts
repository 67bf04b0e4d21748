import type { FastifyInstance, FastifyReply } from 'fastify';
import { alertFlows } from '../../export/alert-flows.js';
import { buildBundle } from '../../export/bundle.js';
import { buildHar } from '../../export/har.js';
import type { HarExportMeta } from '../../export/har.js';
import type { HarEntryRole } from '../../export/har-format.js';
import { NO_CAPTURE } from '../../export/pcap-slice.js';
import type { PcapSlice, PcapSliceProvider } from '../../export/pcap-slice.js';
import type { Alert } from '../../model/index.js';
import type { AlertStore } from '../../store/alerts.js';
import type { FlowStore, StoredFlow } from '../../store/flows.js';
import { sendError } from '../errors.js';
import { errorSchema } from '../schemas.js';

export interface ExportDeps {
  store: AlertStore;
  flows: FlowStore;
  /** Who made the export: named in the HAR and the bundle's manifest. */
  appliance: { id: string; version: string };
  /** The device's name, when the admin gave it one. */
  deviceName: (device: string) => string | undefined;
  /** Packets for the bundle; absent until packet capture exists. */
  pcap?: PcapSliceProvider;
}

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } as const;
const harSchema = { type: 'object', required: ['log'], additionalProperties: true, description: 'HAR 1.2 with tweasel (_tweasel) and leakwatch (_leakwatch) metadata' } as const;

/** A file name from an id: flow ids hold colons, and a header value must not carry quotes. */
const fileSafe = (id: string): string => id.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100);

const alertNotFound = (reply: FastifyReply, id: string) => sendError(reply, 'LW_ERR_ALERT_NOT_FOUND', `no alert ${id}`);

/** HAR exports of flows and alerts, and an alert's evidence bundle (admin). */
export async function exportRoutes(app: FastifyInstance, deps: ExportDeps): Promise<void> {
  const meta = (device: string, alertId?: string): HarExportMeta => {
    const name = deps.deviceName(device);
    return {
      applianceId: deps.appliance.id, leakwatchVersion: deps.appliance.version, nodeVersion: process.version, exportedAt: Date.now(), device,
      ...(name ? { deviceName: name } : {}), ...(alertId ? { alertId } : {}),
    };
  };
  const sendHar = (reply: FastifyReply, name: string, flows: { flow: StoredFlow; role: HarEntryRole }[], device: string, alertId?: string) =>
    reply.type('application/json').header('content-disposition', `attachment; filename="${name}.har"`).send(buildHar(flows, meta(device, alertId)));

  app.get<{ Params: { id: string } }>('/api/flows/:id/har', { schema: { params: idParams, response: { 200: harSchema, 404: errorSchema } } }, async (req, reply) => {
    const flow = deps.flows.get(req.params.id);
    if (!flow) return sendError(reply, 'LW_ERR_FLOW_NOT_FOUND', `no flow ${req.params.id} (retention may have deleted it; search with GET /api/flows)`);
    return sendHar(reply, `leakwatch-flow-${fileSafe(flow.id)}`, [{ flow, role: 'flow' }], flow.device);
  });

  app.get<{ Params: { id: string } }>('/api/alerts/:id/har', { schema: { params: idParams, response: { 200: harSchema, 404: errorSchema } } }, async (req, reply) => {
    const alert = deps.store.get(req.params.id);
    if (!alert) return alertNotFound(reply, req.params.id);
    const { stored } = alertFlows(alert, deps.flows);
    if (stored.length === 0) return sendError(reply, 'LW_ERR_ALERT_FLOWS_GONE', `the requests behind alert ${alert.id} are no longer stored (retention); the alert itself is at GET /api/alerts/${alert.id}, and GET /api/alerts/${alert.id}/bundle still packs it`);
    return sendHar(reply, `leakwatch-alert-${fileSafe(alert.id)}`, stored, alert.device, alert.id);
  });

  app.get<{ Params: { id: string } }>('/api/alerts/:id/bundle', {
    schema: { params: idParams, response: { 200: { type: 'string', format: 'binary', description: 'zip: alert.json, flows.har, packets (when captured), README.txt, manifest.json, SHA256SUMS' }, 404: errorSchema } },
  }, async (req, reply) => {
    const alert = deps.store.get(req.params.id);
    if (!alert) return alertNotFound(reply, req.params.id);
    const { stored, listed } = alertFlows(alert, deps.flows);
    const { zip } = buildBundle({
      alert, flows: listed,
      har: stored.length > 0 ? buildHar(stored, meta(alert.device, alert.id)) : undefined,
      pcap: deps.pcap ? await packets(deps.pcap, alert, stored.map((s) => s.flow)) : NO_CAPTURE,
      applianceId: deps.appliance.id, leakwatchVersion: deps.appliance.version, createdAt: Date.now(),
    });
    return reply.type('application/zip').header('content-disposition', `attachment; filename="leakwatch-alert-${fileSafe(alert.id)}.zip"`).send(Buffer.from(zip));
  });
}

/**
 * The packets of the alert's device from its first to its last stored request (or the alert's own
 * time). A capture that fails costs the bundle its packets, not the rest of the evidence.
 */
async function packets(provider: PcapSliceProvider, alert: Alert, flows: StoredFlow[]): Promise<PcapSlice> {
  const times = flows.length > 0 ? flows.map((f) => f.time) : [Date.parse(alert.flow.time)];
  const ips = new Set(flows.flatMap((f) => (f.ip ? [f.ip] : [])));
  if (alert.destination.ip) ips.add(alert.destination.ip);
  try {
    return await provider.slice({ device: alert.device, from: Math.min(...times), to: Math.max(...times), ips: [...ips] });
  } catch (error) {
    return { status: 'not captured', reason: `reading the packet capture failed (${(error as Error).message})` };
  }
}
