import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

import { UsageError } from '../usage-error.ts';
import { serviceNames, startReceivers } from './receivers.ts';

/** Help text of the `receivers` subcommand. */
export const receiversUsage = `Usage: npm run sandbox -- receivers [--port-base N] [--out DIR] [--webhook-secret S]

Starts loopback stand-ins for GitHub, Slack (webhook and Web API), PagerDuty,
Teams and a generic webhook on 127.0.0.1, prints "ready" and their URLs, and
runs until SIGINT or SIGTERM.

  --port-base N       first port; services take N to N+5 (default: free ports)
  --out DIR           write each request to DIR/<sequence>-<service>.json
  --webhook-secret S  require this secret's X-Atom-Signature-256 on webhooks
  -h, --help          show this help`;

/**
 * Runs the `receivers` subcommand: starts the receivers, prints `ready` and
 * one `<service> <url>` line per service, records requests to --out, and
 * stops cleanly on SIGINT or SIGTERM. Resolves with the exit code.
 */
export async function runReceiversCommand(args: readonly string[]): Promise<number> {
  const values = parseReceiversArguments(args);
  if (values.help) {
    console.log(receiversUsage);
    return 0;
  }

  const portBase = values['port-base'] === undefined ? undefined : Number(values['port-base']);
  if (portBase !== undefined && (!Number.isInteger(portBase) || portBase < 1024 || portBase > 65_530)) {
    throw new UsageError(`invalid --port-base ${JSON.stringify(values['port-base'])}: expected a whole number from 1024 to 65530`);
  }

  const out = values.out ? path.resolve(values.out) : undefined;
  if (out) fs.mkdirSync(out, { recursive: true });
  let sequence = 0;

  const receivers = await startReceivers({
    ...(portBase === undefined ? {} : { portBase }),
    ...(values['webhook-secret'] ? { webhookSecret: values['webhook-secret'] } : {}),
    onRecord: (service, record) => {
      sequence += 1;
      if (out) fs.writeFileSync(path.join(out, `${String(sequence).padStart(5, '0')}-${service}.json`), `${JSON.stringify({ service, ...record }, null, 2)}\n`);
    },
  });

  console.log('ready');
  for (const service of serviceNames) console.log(`${service} ${receivers.urls[service]}`);

  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      console.log(`Received ${signal}, stopping the receivers.`);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await receivers.stop();
  return 0;
}

function parseReceiversArguments(args: readonly string[]): { 'port-base'?: string; out?: string; 'webhook-secret'?: string; help?: boolean } {
  try {
    return parseArgs({
      args: [...args],
      options: {
        'port-base': { type: 'string' },
        out: { type: 'string' },
        'webhook-secret': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
