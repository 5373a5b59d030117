import { parseArgs } from 'node:util';
import { loadConfig, logLocationOf } from '../config/config.ts';
import { createTenantCommand } from '../catalog/create-tenant-command.ts';
import { serveCommand } from './serve-command.ts';
import { roleOf, serveRole } from './serve-role.ts';
import { demoCommand } from './demo-command.ts';
import { userAddCommand } from './user-command.ts';

const USAGE = `usage:
  dmp serve [--data DIR] [--catalog URL] [--log nats://...] [--partitions N] [--port N] [--host H] [--demo]
            [--role all|collector|worker|api]
                                                          run the DMP (--demo: create the demo tenant on first start;
                                                          --role: one part of a scaled-out deployment, docs/scale-out.md)
  dmp tenant create NAME [--data DIR | --catalog URL]     create a tenant; prints {"tenant", "apiKey", "siteKey"}
  dmp user add TENANT EMAIL --role admin|editor|analyst|viewer [--data DIR | --catalog URL]
                                                          add a console user (or reset one); prints {"email", "role", "password"}
  dmp demo [--profiles N] [--seed S] [--days D] [--data DIR] [--tenant NAME]
                                                          build the standard data set (docs/performance.md) in a new tenant
`;

/**
 * The `dmp` command line. Returns the exit code.
 * Example: `await main(['tenant', 'create', 'acme', '--data', './data'])`.
 */
export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        data: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        demo: { type: 'boolean', default: false },
        profiles: { type: 'string', default: '1000000' },
        seed: { type: 'string', default: '1' },
        days: { type: 'string', default: '90' },
        tenant: { type: 'string', default: 'bench' },
        role: { type: 'string' },
        catalog: { type: 'string' },
        log: { type: 'string' },
        partitions: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, sub, name, extra] = positionals;
  if (values.help === true || command === undefined) {
    process.stdout.write(USAGE);
    return command === undefined && values.help !== true ? 2 : 0;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    process.stderr.write(`--port ${values.port ?? ''} is not a port number (0 to 65535)\n`);
    return 2;
  }
  let log;
  try {
    log = logLocationOf(values.log, values.partitions);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const config = loadConfig({
    dataDir: values.data,
    port,
    host: values.host,
    log,
    ...(values.catalog === undefined ? {} : { catalog: values.catalog }),
  });
  if (command === 'serve') {
    const chosen = roleOf(values.role ?? config.scaleOut.role, config);
    if ('error' in chosen) {
      process.stderr.write(`${chosen.error}\n`);
      return 2;
    }
    if (chosen.role !== 'all') return serveRole(config, chosen.role);
    return serveCommand(config, values.demo === true);
  }
  if (command === 'demo') {
    const numbers = {
      profiles: Number(values.profiles),
      seed: Number(values.seed),
      days: Number(values.days),
    };
    for (const [option, n] of Object.entries(numbers)) {
      if (!Number.isInteger(n) || n < (option === 'profiles' ? 0 : 1)) {
        process.stderr.write(
          `--${option} must be a whole number${option === 'profiles' ? '' : ' of at least 1'}\n`,
        );
        return 2;
      }
    }
    return demoCommand(config, {
      ...numbers,
      tenant: values.tenant ?? 'bench',
      ruleTraits: 1_000,
      segments: 200,
    });
  }
  if (command === 'user' && sub === 'add' && name !== undefined && extra !== undefined) {
    if (values.role === undefined) {
      process.stderr.write(`dmp user add needs --role (admin, editor, analyst or viewer)\n${USAGE}`);
      return 2;
    }
    const write = (stream: NodeJS.WriteStream) => (text: string) => void stream.write(text);
    return userAddCommand(
      config.catalog,
      name,
      extra,
      values.role,
      write(process.stdout),
      write(process.stderr),
    );
  }
  if (command === 'tenant' && sub === 'create' && name !== undefined) {
    const created = await createTenantCommand(config.dataDir, name, config.catalog);
    process.stdout.write(`${JSON.stringify(created)}\n`);
    return 0;
  }
  process.stderr.write(`unknown command: ${positionals.join(' ')}\n${USAGE}`);
  return 2;
}
