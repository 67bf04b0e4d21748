import type { Alert } from '../model/index.js';
import type { Health } from '../system/health.js';

/** The MQTT contract of ARCHITECTURE.md, in one place: topic → payload. */
export interface MqttContract {
  alert: Alert;
  status: 'online' | 'offline';
  /** Retained, refreshed every minute. */
  health: Health;
}

export function topic(prefix: string, applianceId: string, kind: keyof MqttContract): string {
  return `${prefix}/${applianceId}/${kind}`;
}
