/**
 * Test helper run as a child process under a file size limit (`ulimit -f`): appends 1 KiB records to the
 * log in `argv[2]` until one is rejected, then appends one small record, and prints what happened as
 * JSON: `{ acked, rejected, sizeAfterFailure, smallSeq }`.
 *
 * Example: `sh -c "trap '' XFSZ; ulimit -f 64; exec node --import tsx append-until-full.ts /tmp/d"`
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogRecord } from '../event-log.ts';
import { openFileEventLog } from '../file-event-log.ts';
import { segmentName } from '../segment-files.ts';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: append-until-full.ts <dir>');
const log = await openFileEventLog(dir);
const big = (n: number): LogRecord => ({
  kind: 'delete',
  tenant: 't1',
  uid: `${String(n).padStart(6, '0')}:${'x'.repeat(1000)}`,
});
let acked = 0;
let rejected = '';
for (let n = 1; rejected === '' && n < 100_000; n++) {
  await log.append([big(n)]).then(
    () => (acked = n),
    (err: unknown) => (rejected = err instanceof Error ? `${err.name}: ${err.message}` : String(err)),
  );
}
const sizeAfterFailure = (await stat(join(dir, segmentName(1)))).size;
const smallSeq = await log.append([{ kind: 'delete', tenant: 't1', uid: 'small' }]).catch(() => -1);
await log.close();
process.stdout.write(JSON.stringify({ acked, rejected, sizeAfterFailure, smallSeq }) + '\n');
