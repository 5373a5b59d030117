/**
 * Where the event log is: the data folder's segment files (the default), or a NATS JetStream stream.
 * Example: `{ kind: 'nats', servers: ['nats://10.0.0.1:4222'], stream: 'DMP_LOG', replicas: 3, partitions: 8 }`
 */
export type LogLocation =
  | { kind: 'files' }
  | { kind: 'nats'; servers: string[]; stream: string; replicas: number; partitions: number };

const NATS = /^nats:\/\//i;

/**
 * Reads `--log` / `DMP_LOG`: unset is the data folder's files; `nats://HOST:PORT` (several servers
 * comma-separated, each `nats://`) with optional `?stream=NAME&replicas=1|3` is a JetStream stream, its
 * profile partitions from `--partitions` / `DMP_PARTITIONS` (default 8). Anything else throws saying what
 * is wrong and what is taken.
 *
 * Example: `parseLogLocation('nats://a:4222,nats://b:4222?replicas=3', '8')`
 * -> `{ kind: 'nats', servers: ['nats://a:4222', 'nats://b:4222'], stream: 'DMP_LOG', replicas: 3, partitions: 8 }`
 */
export function parseLogLocation(text: string | undefined, partitionsText: string | undefined): LogLocation {
  if (text === undefined || text.trim() === '') return { kind: 'files' };
  const [list = '', query = ''] = text.trim().split('?', 2);
  const servers = list.split(',').map((s) => s.trim());
  if (servers.some((s) => !NATS.test(s) || s.length <= 'nats://'.length))
    throw new Error(
      `DMP_LOG ${text}: give NATS servers as nats://HOST:PORT (several comma-separated), e.g. nats://127.0.0.1:4222; unset, the log is in the data folder`,
    );
  const params = new URLSearchParams(query);
  for (const name of params.keys())
    if (name !== 'stream' && name !== 'replicas')
      throw new Error(`DMP_LOG ${text}: unknown option '${name}' (stream=NAME, replicas=1|3)`);
  const stream = params.get('stream') ?? 'DMP_LOG';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(stream))
    throw new Error(`DMP_LOG ${text}: stream=${stream} must be 1 to 64 of A-Z, a-z, 0-9, _ and -`);
  const replicas = Number(params.get('replicas') ?? '1');
  if (replicas !== 1 && replicas !== 3)
    throw new Error(`DMP_LOG ${text}: replicas=${params.get('replicas') ?? ''} must be 1 or 3`);
  const partitions = Number(partitionsText ?? '8');
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 1024)
    throw new Error(`DMP_PARTITIONS ${partitionsText ?? ''} must be a whole number from 1 to 1024`);
  return { kind: 'nats', servers, stream, replicas, partitions };
}
