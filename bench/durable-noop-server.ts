/**
 * The durable no-op peer of the pixel bench: a bare `node:http` server that, like ours, answers a pixel
 * only once it is on disk, and does nothing else. Each request's URL is a line; lines queue while a
 * batch is written, and one loop writes everything queued as one `write` and one `fdatasync` (group
 * commit through `fs/promises`, as our log's writer does), then answers that batch's requests with a
 * 1x1 GIF. What ours costs beyond it is what it does besides durability (parsing, validating, enriching,
 * the log record, qualification); what it costs beyond the plain no-op is the durability alone.
 * `/count` answers the requests answered, `/ready` 200.
 * Run: `node --import tsx bench/durable-noop-server.ts PORT DIR`
 */
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { answerGif, control } from './noop-answers.ts';

const file = await open(join(process.argv[3] ?? '.', 'durable-noop.log'), 'a');
let queued: { line: string; response: ServerResponse }[] = [];
let writing = false;
let served = 0;

async function writeLoop(): Promise<void> {
  writing = true;
  while (queued.length > 0) {
    const batch = queued;
    queued = [];
    await file.write(batch.map((q) => q.line).join(''));
    await file.datasync();
    for (const { response } of batch) {
      served++;
      answerGif(response);
    }
  }
  writing = false;
}

const server = createServer((request, response) => {
  if (control(request, response, served)) return;
  queued.push({ line: `${request.url ?? ''}\n`, response });
  if (!writing) void writeLoop();
});
server.listen(Number(process.argv[2]), '127.0.0.1');
process.once('SIGTERM', () => {
  server.close();
  void file.close();
});
