import { main } from './cli.js';

/**
 * The process entry: run the command line, then exit with its status. Exiting explicitly, once a
 * command has finished its own orderly stop: a native handle can keep the event loop alive after
 * it was closed — node-pcap's close ends its read loop only at the next packet, which a quiet
 * hotspot never sends, so a stopped `leakwatch start` would otherwise wait for one (or for
 * systemd's SIGKILL). stdout and stderr are files or pipes here, written synchronously on Linux.
 */
process.exit(await main(process.argv.slice(2)));
