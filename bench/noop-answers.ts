/**
 * What the pixel bench's no-op peers share: the 1x1 GIF they answer with, and their two control routes
 * (`/ready` 200, `/count` the pixels answered).
 *
 * Example: `if (control(request, response, served)) return; answerGif(response);`
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** Answers `/ready` and `/count` (with `served`); false for any other request, left unanswered. */
export function control(request: IncomingMessage, response: ServerResponse, served: number): boolean {
  if (request.url === '/ready') response.end('ok');
  else if (request.url === '/count') response.end(String(served));
  else return false;
  return true;
}

/** The pixel's answer: 200, the GIF, not to be cached. */
export function answerGif(response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'image/gif', 'cache-control': 'no-store, max-age=0' });
  response.end(GIF);
}
