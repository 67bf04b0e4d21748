/** JSON schemas shared by the routes; they also make the OpenAPI document. */
export const alertSchema = {
  type: 'object',
  required: ['id', 'time', 'severity', 'confidence', 'device', 'data', 'path', 'destination', 'flow'],
  additionalProperties: true,
  properties: {
    id: { type: 'string' },
    time: { type: 'string' },
    severity: { type: 'string', enum: ['critical', 'high', 'medium', 'low'] },
    confidence: { type: 'string', enum: ['proven', 'confirmed', 'suspected'] },
    device: { type: 'string' },
    data: { type: 'object', additionalProperties: true },
    path: { type: 'string' },
    destination: { type: 'object', additionalProperties: true },
    flow: { type: 'object', additionalProperties: true },
    evidence: { type: 'object', additionalProperties: true },
  },
} as const;

export const errorSchema = {
  type: 'object',
  required: ['error', 'message'],
  properties: { error: { type: 'string' }, message: { type: 'string' } },
} as const;

/** An alert as the API lists it: the alert JSON plus its place in the store's order and whether the admin has seen it. */
export const listedAlertSchema = {
  ...alertSchema,
  required: [...alertSchema.required, 'seq', 'acknowledged'],
  properties: {
    ...alertSchema.properties,
    seq: { type: 'integer', description: 'the order alerts were stored in; the live stream uses it as the event id' },
    acknowledged: { type: 'boolean' },
  },
} as const;
