/**
 * Test helper run as a child process: appends to the log in `argv[2]` forever, several appends in flight
 * at once, and prints `ack <lastSeq> <n> <count>` for each acknowledged append (its records are
 * `sampleRecord(n)`, `sampleRecord(n + 1)`, ...). The crash test kills it with SIGKILL.
 *
 * Example: `node --import tsx src/log/testing/append-forever.ts /tmp/log-dir`
 */
import { openFileEventLog } from '../file-event-log.ts';
import { sampleRecord } from './sample-records.ts';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: append-forever.ts <dir>');
const log = await openFileEventLog(dir, { segmentBytes: 32 * 1024 });
let next = 1_000_000 * (log.lastSeq() + 1); // numbers unique across restarts
process.stdout.write(`open ${log.lastSeq()}\n`);
for (;;) {
  const inFlight = Array.from({ length: 16 }, (_, i) => {
    const n = next;
    const count = 1 + (i % 3);
    next += count;
    const records = Array.from({ length: count }, (_, k) => sampleRecord(n + k));
    // stdout is a pipe: writes are synchronous, so a printed ack has left this process
    return log.append(records).then((lastSeq) => process.stdout.write(`ack ${lastSeq} ${n} ${count}\n`));
  });
  await Promise.all(inFlight);
}
