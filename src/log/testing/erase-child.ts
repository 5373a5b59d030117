/**
 * Test helper run as a child process: opens the log in `argv[2]`, erases every event whose uid number is
 * a multiple of `argv[3]` (`u0`, `u7`, ... for 7), prints `erased <erased> <segmentsRewritten>` and
 * closes. The erase crash test kills it with SIGKILL in the middle.
 *
 * Example: `node --import tsx src/log/testing/erase-child.ts /tmp/log-dir 7`
 */
import { openFileEventLog } from '../file-event-log.ts';

const dir = process.argv[2];
const modulo = Number(process.argv[3]);
if (dir === undefined || !(modulo > 0)) throw new Error('usage: erase-child.ts <dir> <modulo>');
const log = await openFileEventLog(dir, { segmentBytes: 256 * 1024 });
const result = await log.erase(
  (record) => record.kind === 'event' && Number(record.event.uid.slice(1)) % modulo === 0,
);
process.stdout.write(`erased ${result.erased} ${result.segmentsRewritten}\n`);
await log.close();
