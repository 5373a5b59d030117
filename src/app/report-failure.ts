import type { Logger } from 'pino';

/**
 * The reporter of a task nothing waits for (a timer's sweep, a schedule's tick, a job in a queue): one
 * `error` line naming the task, `<task> failed` (and `; <consequence>` when given), with the error.
 * Without it such a failure is lost, or becomes an unhandled rejection that stops the process.
 *
 * Example: `sweep().catch(reportFailure(logger, 'retention sweep'))` logs `retention sweep failed`.
 */
export function reportFailure(logger: Logger, task: string, consequence?: string): (error: unknown) => void {
  const message = consequence === undefined ? `${task} failed` : `${task} failed; ${consequence}`;
  return (error) => logger.error({ err: error, task }, message);
}
