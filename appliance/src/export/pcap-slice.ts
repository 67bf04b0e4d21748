/**
 * Packets behind an alert, for the evidence bundle. Packet capture is a later part of the
 * appliance; until a capture component provides this, bundles record that no packets were
 * captured, and why, instead of holding a made-up file.
 */
export interface PcapSliceRequest {
  device: string;
  /** Epoch milliseconds: the first and last request of the alert's flows. */
  from: number;
  to: number;
  /** Addresses the flows went to, when known. */
  ips: string[];
}

export type PcapSlice =
  | { status: 'captured'; /** A pcap or pcapng file. */ file: Uint8Array; extension: 'pcap' | 'pcapng' }
  | { status: 'not captured'; /** Why, in words a person can act on. */ reason: string };

export interface PcapSliceProvider {
  slice(request: PcapSliceRequest): Promise<PcapSlice>;
}

export const NO_CAPTURE: PcapSlice = {
  status: 'not captured',
  reason: 'this leakwatch has no packet capture yet; the requests themselves are in flows.har',
};
