/**
 * A writer for the kill -9 test: stores alerts one transaction at a time and prints each id after
 * its commit returned, until it is killed. Usage: node --import tsx writer.ts DB_PATH
 */
import { AlertStore, openDatabase } from '../../../appliance/src/store/index.js';
import { alert, flowFor } from './samples.js';

const store = new AlertStore(openDatabase(process.argv[2]!));
for (let i = 0; ; i++) {
  const a = alert(`k${process.pid}-${i}`, i);
  store.record(flowFor(a), [a], 'leakwatch/test/alert');
  process.stdout.write(`${a.id}\n`);
}
