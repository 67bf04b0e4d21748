#!/usr/bin/env node
// Runs the compiled CLI. `npm install` builds it (the "prepare" script); `npm run build` rebuilds it.
try {
  await import('../../dist/appliance/src/main.js');
} catch (error) {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/appliance')) {
    process.stderr.write('leakwatch is not built yet: run `npm install` (or `npm run build`) in the leakwatch folder first.\n');
    process.exit(2);
  }
  throw error;
}
