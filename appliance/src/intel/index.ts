export { loadIntel, loadIpDatabase, IntelNotBuiltError, builtInNetworks, builtInOwners } from './load.js';
export type { LoadIntelOptions } from './load.js';
export { createIntel } from './intel.js';
export type { IntelData, IpDatabase } from './intel.js';
export { IntelFileError, parseOverlay } from './overlay.js';
export { registrableDomain } from './registrable-domain.js';
export { chinaLinked } from './china-linked.js';
export type { Intel, DomainOwner, NetworkInfo, IntelOverlay } from './types.js';
