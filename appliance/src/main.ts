import { main } from './cli.js';

/** The process entry: run the command line, exit with its status. */
process.exitCode = await main(process.argv.slice(2));
