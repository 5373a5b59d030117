import type { FileHandle } from 'node:fs/promises';

/**
 * Reads a file as text in blocks of whole lines from a byte offset, so a parser can stop anywhere and
 * the job can say exactly which byte it stopped at. UTF-8 is cut only after a newline byte, never inside
 * a character.
 *
 * Example:
 * ```ts
 * const reader = new FileTextReader(handle, spec.dataStart, 2 << 20);
 * const { text, final } = await reader.read(false);
 * const offset = reader.consume(parsed.consumed); // byte offset after what was parsed
 * ```
 */
export class FileTextReader {
  private carry: Buffer = Buffer.alloc(0);
  private eof = false;
  private text = '';
  private textBytes = 0;

  constructor(
    private readonly handle: FileHandle,
    private offset: number,
    private readonly blockBytes: number,
  ) {}

  /** The byte offset of the first byte not consumed yet. */
  position(): number {
    return this.offset;
  }

  /**
   * The text of the whole lines after the position (all that is left when `final`); with `more`, at
   * least one block more than last time (the parser could not finish a record in what it had).
   */
  async read(more: boolean): Promise<{ text: string; final: boolean }> {
    let want = more ? this.carry.length + this.blockBytes : this.blockBytes;
    for (;;) {
      while (!this.eof && this.carry.length < want) await this.fill(want - this.carry.length);
      const lastLf = this.eof ? this.carry.length - 1 : this.carry.lastIndexOf(10);
      if (lastLf === -1 && !this.eof) {
        want += this.blockBytes;
        continue;
      }
      this.textBytes = this.eof ? this.carry.length : lastLf + 1;
      this.text = this.carry.toString('utf8', 0, this.textBytes);
      return { text: this.text, final: this.eof };
    }
  }

  /** Marks the first `chars` characters of the last text as consumed; returns the new byte offset. */
  consume(chars: number): number {
    const bytes =
      chars === this.text.length ? this.textBytes : Buffer.byteLength(this.text.slice(0, chars), 'utf8');
    this.carry = this.carry.subarray(bytes);
    this.offset += bytes;
    return this.offset;
  }

  private async fill(bytes: number): Promise<void> {
    const buf = Buffer.allocUnsafe(bytes);
    const { bytesRead } = await this.handle.read(buf, 0, buf.length, this.offset + this.carry.length);
    if (bytesRead === 0) this.eof = true;
    else
      this.carry =
        this.carry.length === 0
          ? buf.subarray(0, bytesRead)
          : Buffer.concat([this.carry, buf.subarray(0, bytesRead)]);
  }
}
