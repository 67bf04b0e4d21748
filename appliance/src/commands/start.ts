import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { CliIo } from '../cli-io.js';
import { loadConfig } from '../config/config.js';
import { Detector } from '../detect/index.js';
import { loadIntel } from '../intel/index.js';
import type { Alert } from '../model/index.js';
import { AllowedClients } from '../sources/proxy/allowed-clients.js';
import { loadOrCreateCa } from '../sources/proxy/ca.js';
import { InterceptingProxy } from '../sources/proxy/intercepting-proxy.js';
import { LeafCertificates } from '../sources/proxy/leaf-certs.js';

/** One line per alert: what leaked, to whom, and whether the receiver is china-linked. */
export function alertLine(a: Alert): string {
  const to = `${a.destination.host}${a.destination.ip ? ` (${a.destination.ip}${a.destination.asn ? `, AS${a.destination.asn}` : ''})` : ''}`;
  return `${a.time} ${a.severity.toUpperCase()} ${a.confidence} ${a.data.kind} ${a.data.value} → ${to}${a.destination.chinaLinked ? ' [china-linked]' : ''} via ${a.path || 'plain text'}\n`;
}

/**
 * `leakwatch start [--config FILE]`: the explicit proxy with the detector behind it, alerts on
 * stdout, problems on stderr. Storage, the web page and MQTT come with their own issue.
 */
export async function startCommand(argv: readonly string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const { values } = parseArgs({ args: [...argv], options: { config: { type: 'string' } } });
  const config = await loadConfig(values.config);
  const intel = await loadIntel({ overlayFiles: config.intel.overlayFiles });
  const ca = await loadOrCreateCa(config.dataDir);
  const upstreamCa = config.proxy.upstreamCaFile ? await readFile(config.proxy.upstreamCaFile, 'utf8') : undefined;
  const detector = new Detector(intel);
  const proxy = new InterceptingProxy({
    host: config.proxy.host,
    port: config.proxy.port,
    leaves: new LeafCertificates(ca),
    allowed: new AllowedClients(config.proxy.allowedClients),
    maxInspectBytes: config.proxy.maxInspectBytes,
    ...(upstreamCa ? { upstreamCa } : {}),
    ...(config.transparent.enabled ? { transparent: config.transparent } : {}),
    passthroughMinutes: config.proxy.pinningPassthroughMinutes,
  });
  proxy.on('tls-failure', ({ device, host, cause }) => io.stderr.write(`leakwatch: ${device} refused our certificate for ${host} (${cause}); passing ${host} through for this device\n`));
  proxy.on('passthrough', ({ device, host, port }) => io.stderr.write(`leakwatch: passthrough ${device} → ${host}:${port} (not inspected)\n`));
  proxy.on('flow', (flow) => {
    for (const alert of detector.observe(flow)) io.stdout.write(alertLine(alert));
  });
  proxy.on('problem', (message) => io.stderr.write(`leakwatch: ${message}\n`));
  proxy.on('refused', (address) => io.stderr.write(`leakwatch: refused a connection from ${address} (not an allowed client)\n`));
  const address = await proxy.listen();
  const t = config.transparent;
  io.stderr.write(`leakwatch: proxy listening on ${address.address}:${address.port}${t.enabled ? `, transparent on ${t.host}:${t.httpPort} (HTTP) and ${t.host}:${t.httpsPort} (HTTPS)` : ''}; install the CA from \`leakwatch ca export\` on the phone\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    signal?.addEventListener('abort', stop, { once: true });
  });
  await proxy.close();
  return 0;
}
