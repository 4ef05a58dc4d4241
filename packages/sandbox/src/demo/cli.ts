import { parseArgs } from 'node:util';

import { UsageError } from '../usage-error.ts';
import { parseFaults, type DemoFaults } from './faults.ts';
import { demoCredentials, startDemoService } from './service.ts';

/** Help text of the `demo` subcommand. */
export const demoUsage = `Usage: npm run sandbox -- demo [options]

Starts the demo service (the atom service's runbook endpoints with chosen faults)
and prints "ready <url>". Stops on SIGINT or SIGTERM.

Options:
  --version NAME      version label in responses and metrics, such as v1 or v2 (default v1)
  --port N            port to listen on; 0 picks a free one (default 0)
  --host ADDRESS      loopback address to listen on (default 127.0.0.1)
  --faults JSON       faults as JSON, such as '{"routes":{"/health/ready":{"status":503}}}'
  --username NAME     demo user name (default ${demoCredentials.username})
  --password TEXT     demo user password (default ${demoCredentials.password})
  --help              print this help

Faults can be changed while it runs: PUT /__sandbox/faults with the same JSON.`;

const loopbackHosts = ['127.0.0.1', 'localhost', '::1'];

/**
 * Runs the `demo` subcommand with its arguments (without the subcommand
 * name) until SIGINT or SIGTERM, and resolves with the exit code. Throws
 * UsageError for an invalid argument.
 */
export async function runDemoCommand(args: readonly string[]): Promise<number> {
  const values = parseDemoArguments(args);
  if (values.help) {
    console.log(demoUsage);
    return 0;
  }

  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port has the invalid value "${values.port}": expected a whole number from 0 to 65535.`);
  if (!loopbackHosts.includes(values.host)) throw new UsageError(`--host has the value "${values.host}": expected a loopback address (${loopbackHosts.join(', ')}).`);
  const faults = values.faults !== undefined ? parseFaultsArgument(values.faults) : {};

  const service = await startDemoService({
    version: values.version,
    port,
    host: values.host,
    faults,
    credentials: { username: values.username, password: values.password },
  });
  console.log(`ready ${service.url}`);

  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      console.log(`Received ${signal}, stopping the demo service ${service.version}`);
      service.stop().then(resolve, resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

function parseFaultsArgument(text: string): DemoFaults {
  try {
    return parseFaults(JSON.parse(text));
  } catch (error) {
    throw new UsageError(`--faults is invalid: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Parses the options, turning parseArgs's TypeError for an unknown or malformed option into a UsageError. */
function parseDemoArguments(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      options: {
        version: { type: 'string', default: 'v1' },
        port: { type: 'string', default: '0' },
        host: { type: 'string', default: '127.0.0.1' },
        faults: { type: 'string' },
        username: { type: 'string', default: demoCredentials.username },
        password: { type: 'string', default: demoCredentials.password },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
