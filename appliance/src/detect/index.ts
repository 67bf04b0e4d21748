export { Detector } from './detector.js';
export type { DetectorCounts } from './detector.js';
export type { DetectorOptions } from './options.js';
export { DEFAULT_DETECTOR_OPTIONS, resolveOptions } from './options.js';
export { flowRole } from './roles.js';
export type { FlowRole } from './roles.js';
