import type { SessionVerdict } from '../canary/verdict.js';
import type { Alert } from '../model/index.js';
import type { Health } from '../system/health.js';

/** The MQTT contract of ARCHITECTURE.md, in one place: topic → payload. */
export interface MqttContract {
  alert: Alert;
  status: 'online' | 'offline';
  /** Retained, refreshed every minute. */
  health: Health;
  /** A canary session's verdict, once its last watch window is over (QoS 1, from the outbox). */
  canary: SessionVerdict;
}

export function topic(prefix: string, applianceId: string, kind: keyof MqttContract): string {
  return `${prefix}/${applianceId}/${kind}`;
}
