export { openDatabase, schemaVersion, StoreError } from './database.js';
export { AlertStore, FLOW_EXCERPT_BYTES } from './alerts.js';
export type { AlertQuery } from './alerts.js';
export { Outbox } from './outbox.js';
export { BatchWriter } from './batch-writer.js';
export type { OutboxMessage } from './outbox.js';
export { applyRetention, DEFAULT_RETENTION } from './retention.js';
export type { RetentionPolicy, RetentionResult } from './retention.js';
