/**
 * A separate process that migrates the database at argv[2] — for the test that starts two at
 * once on an empty database. It connects, says `ready`, waits for a line on stdin (so that both
 * processes migrate at the same moment), migrates, and prints how many migrations it applied.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { openDatabase } from '../client';
import { migrate } from '../migrate';

const url = process.argv[2];
if (!url) throw new Error('usage: migrate-child.ts <postgres url>');
const database = await openDatabase({ url });
await database.db.execute('SELECT 1');
process.stdout.write('ready\n');
const go = createInterface({ input: process.stdin });
await once(go, 'line');
go.close();
const applied = await migrate(database);
process.stdout.write(`applied ${applied}\n`);
await database.close();
