#!/usr/bin/env node
// Runs the compiled CLI. `npm install` builds it (the "prepare" script); `npm run build` rebuilds it.
let cli;
try {
  cli = await import('../../dist/appliance/src/cli.js');
} catch (error) {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write('leakwatch is not built yet: run `npm install` (or `npm run build`) in the leakwatch folder first.\n');
    process.exit(2);
  }
  throw error;
}
process.exitCode = await cli.main(process.argv.slice(2));
