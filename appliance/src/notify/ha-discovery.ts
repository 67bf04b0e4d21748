import { topic } from './topics.js';

/**
 * Home Assistant MQTT discovery: retained configs under `homeassistant/`, so the appliance's
 * connectivity and its alerts appear in Home Assistant with no YAML. Alerts are an `event` entity,
 * which needs `event_types` in its config and an `event_type` in each message (STACK-NOTES).
 */
export interface DiscoveryMessage {
  topic: string;
  payload: string;
}

export function discoveryMessages(prefix: string, applianceId: string): DiscoveryMessage[] {
  const device = { identifiers: [`leakwatch_${applianceId}`], name: `leakwatch ${applianceId}`, manufacturer: 'leakwatch', model: 'privacy-testing appliance' };
  const status = topic(prefix, applianceId, 'status');
  return [
    {
      topic: `homeassistant/binary_sensor/leakwatch_${applianceId}/online/config`,
      payload: JSON.stringify({ name: 'Online', unique_id: `leakwatch_${applianceId}_online`, state_topic: status, payload_on: 'online', payload_off: 'offline', device_class: 'connectivity', device }),
    },
    {
      topic: `homeassistant/sensor/leakwatch_${applianceId}/cpu_load/config`,
      payload: JSON.stringify({ name: 'CPU load', unique_id: `leakwatch_${applianceId}_cpu_load`, state_topic: topic(prefix, applianceId, 'health'), value_template: '{{ value_json.cpu.loadPercent }}', unit_of_measurement: '%', availability_topic: status, device }),
    },
    {
      topic: `homeassistant/sensor/leakwatch_${applianceId}/cpu_temperature/config`,
      payload: JSON.stringify({ name: 'CPU temperature', unique_id: `leakwatch_${applianceId}_cpu_temperature`, state_topic: topic(prefix, applianceId, 'health'), value_template: '{{ value_json.cpu.temperatureC }}', unit_of_measurement: '°C', device_class: 'temperature', availability_topic: status, device }),
    },
    {
      topic: `homeassistant/event/leakwatch_${applianceId}/alert/config`,
      payload: JSON.stringify({
        name: 'Leak alert', unique_id: `leakwatch_${applianceId}_alert`, state_topic: topic(prefix, applianceId, 'alert'),
        event_types: ['critical', 'high', 'medium', 'low'],
        value_template: '{{ {"event_type": value_json.severity, "value": value_json.data.value, "receiver": value_json.destination.host, "china_linked": value_json.destination.chinaLinked} | tojson }}',
        availability_topic: status, device,
      }),
    },
  ];
}
