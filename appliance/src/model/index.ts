/**
 * leakwatch's shared vocabulary.
 *
 * Terminology:
 * - device: one phone or laptop. On the hotspot its MAC (IP as fallback); in an imported file,
 *   the client address the file records, else the file itself.
 * - host: a DNS name or IP literal as the client named it (`sa.api.intl.miui.com`).
 * - registrable domain: the host's eTLD+1 by the Public Suffix List (`miui.com`).
 * - destination: where a request went: host, IP and port, plus who runs it (Attribution).
 * - browsing value: something the user browsed: a page URL, a visited host, a search term.
 * - leak: a browsing value (or a form of it: encoded, hashed) found in a request to another party.
 * - alert: a leak the policy keeps, with its evidence and severity.
 */
export type { TlsConnectionSeen } from './connection.js';
export type { Flow, FlowSource, FlowTls, Header, InitiatorHints, FlowResponse } from './flow.js';
export type { DecodeStep } from './decode-step.js';
export type { DeviceIdentity } from './device.js';
export type { Alert, Confidence, Severity, LeakKind, Attribution, AlertEvidence, AnalysisSummary, OpaqueTelemetry, WebTracker, CanaryLabel, PlantedCanary } from './alert.js';
export { CONFIDENCE_RANK, SEVERITIES, severityAtLeast, formatPath } from './alert.js';
export { headerValue, initiatorFromHeaders } from './flow.js';
export { APPLIANCE_DOMAIN, SELF_TEST_ADDRESS, SELF_TEST_DOMAIN, isApplianceName, isSelfTest } from './appliance-names.js';
