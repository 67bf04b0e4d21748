export { InspectionError, InspectionWorker } from './inspection-worker.js';
export type { InspectionWorkerOptions } from './inspection-worker.js';
export type { StoreWrite, WriteResult } from './messages.js';
