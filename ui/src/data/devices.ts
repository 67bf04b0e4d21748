import { api } from '../api/client.js';
import type { Device, DnsLookup, PassedThroughHost, PeerTraffic } from '../api/types.js';

const path = (id: string) => `/api/devices/${encodeURIComponent(id)}`;

export const listDevices = () => api.get<Device[]>('/api/devices');
export const renameDevice = (id: string, name: string | null) => api.patch<{ id: string; name: string | null }>(path(id), { name });
export const deviceTraffic = (id: string) => api.get<PeerTraffic[]>(`${path(id)}/traffic`);
export const deviceDns = (id: string) => api.get<DnsLookup[]>(`${path(id)}/dns`);
export const devicePassthrough = (id: string) => api.get<PassedThroughHost[]>(`${path(id)}/passthrough`);
