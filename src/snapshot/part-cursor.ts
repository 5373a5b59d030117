import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import type { PartCursor } from '../profiles/profile-store.ts';

/** A cursor reads the file this many bytes at a time (more when one `take` asks for more). */
const WINDOW = 16 << 20;
/** window buffers given back by closed cursors: reused, as fresh memory costs a page fault per 4 KiB */
const spare: Buffer[] = [];

/**
 * A `PartCursor` over `length` bytes of the file at `path` from `offset`, whose crc32 must be `crc`:
 * reads a window at a time into a reused buffer (`take` never allocates unless asked for more than a
 * window), checking the checksum as the bytes go by; throws at once when the file ends before the part
 * does. `fail(reason)` makes the error to throw.
 *
 * Example: `const c = new FilePartCursor(path, 4096, 800, crc, (r) => new Error(r)); c.take(8); c.finish(); c.close();`
 */
export class FilePartCursor implements PartCursor {
  private fd: number | undefined;
  private buffer: Buffer;
  /** the bytes of `buffer` read but not yet taken: [start, end) */
  private start = 0;
  private end = 0;
  /** bytes of the part read from the file so far, and their crc32 */
  private read = 0;
  private crc = 0;

  constructor(
    path: string,
    private readonly offset: number,
    private readonly length: number,
    private readonly expectedCrc: number,
    private readonly fail: (reason: string) => Error,
  ) {
    const fd = openSync(path, 'r');
    if (fstatSync(fd).size < offset + length) {
      closeSync(fd);
      throw fail('runs past the end of the file');
    }
    this.fd = fd;
    this.buffer = spare.pop() ?? Buffer.allocUnsafe(WINDOW);
  }

  take(length: number): Uint8Array {
    if (this.end - this.start < length) this.fill(length);
    const bytes = this.buffer.subarray(this.start, this.start + length);
    this.start += length;
    return bytes;
  }

  finish(): void {
    if (this.start < this.end || this.read < this.length)
      throw this.fail(`holds ${this.length - this.read + this.end - this.start} bytes more than were read`);
    if (this.crc !== this.expectedCrc) throw this.fail('fails its checksum');
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    if (this.buffer.length === WINDOW) spare.push(this.buffer);
  }

  /** Moves the untaken bytes to the front and reads until `length` of them are there. */
  private fill(length: number): void {
    const kept = this.end - this.start;
    if (kept + (this.length - this.read) < length) throw this.fail('is cut short');
    if (length > this.buffer.length) {
      const bigger = Buffer.allocUnsafe(length);
      this.buffer.copy(bigger, 0, this.start, this.end);
      if (this.buffer.length === WINDOW) spare.push(this.buffer);
      this.buffer = bigger;
    } else this.buffer.copyWithin(0, this.start, this.end);
    this.start = 0;
    this.end = kept;
    const want = Math.min(this.buffer.length - this.end, this.length - this.read);
    const into = this.buffer.subarray(this.end, this.end + want);
    let done = 0;
    while (done < want) {
      const n = readSync(this.fd as number, into, done, want - done, this.offset + this.read + done);
      if (n === 0) throw this.fail('is cut short by the end of the file');
      done += n;
    }
    this.crc = crc32(into, this.crc);
    this.end += want;
    this.read += want;
  }
}
