/**
 * The no-op peer of the pixel bench: a bare `node:http` server answering every request with a 1x1 GIF,
 * counting them; `/count` answers the count, `/ready` 200.
 * Run: `node --import tsx bench/noop-server.ts PORT`
 */
import { createServer } from 'node:http';
import { answerGif, control } from './noop-answers.ts';

let served = 0;
const server = createServer((request, response) => {
  if (control(request, response, served)) return;
  served++;
  answerGif(response);
});
server.listen(Number(process.argv[2]), '127.0.0.1');
process.once('SIGTERM', () => server.close());
