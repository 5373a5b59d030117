/**
 * Errors of the file event log. They are exceptions, not values: each one means the log cannot do what
 * it was asked (the disk failed, the files are damaged, or the log was closed).
 *
 * Example:
 * ```ts
 * await log.replay(1, apply).catch((err) => {
 *   if (err instanceof CorruptLogError) console.error(err.file, err.offset);
 * });
 * ```
 */
export class CorruptLogError extends Error {
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`corrupt event log record in ${file} at byte ${offset}: ${reason}`);
    this.name = 'CorruptLogError';
  }
}

/**
 * The log was closed (or broken by an earlier failure it could not undo), so it takes no more appends.
 *
 * Example: `await log.close(); await log.append(records); // rejects with LogClosedError`
 */
export class LogClosedError extends Error {
  constructor(message = 'event log is closed') {
    super(message);
    this.name = 'LogClosedError';
  }
}

/**
 * Writing or syncing a batch failed; none of the batch's records was acknowledged and the file was cut
 * back to its last good length.
 *
 * Example: `log.append(records).catch((err) => err instanceof LogWriteError && retryLater(records))`
 */
export class LogWriteError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'LogWriteError';
  }
}
