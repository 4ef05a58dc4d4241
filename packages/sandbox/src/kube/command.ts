import { parseArgs } from 'node:util';

import { UsageError } from '../usage-error.ts';
import { startKubeSimulator } from './simulator.ts';

/** Help text of `sandbox kube`. */
export const kubeUsage = `Usage: npm run sandbox -- kube --kubeconfig FILE [--time-scale N] [--port P]

Runs the Kubernetes API simulator in the foreground on https://127.0.0.1,
writes a kubeconfig for it and prints "ready" once it serves requests.
Stop it with Ctrl+C (SIGINT) or SIGTERM.

Options:
  --kubeconfig FILE   where to write the kubeconfig (required)
  --time-scale N      how many times faster than real time the simulated
                      clock runs (pod readiness, minReadySeconds, progress
                      deadlines); a positive number, default 1
  --port P            TCP port on 127.0.0.1; default: a free port
  --log-requests      print each served request to standard error
  -h, --help          show this help

Example:
  npm run sandbox -- kube --kubeconfig /tmp/sim.kubeconfig --time-scale 10
  kubectl --kubeconfig /tmp/sim.kubeconfig get namespaces`;

interface KubeArguments {
  kubeconfig: string;
  timeScale: number;
  port: number;
  logRequests: boolean;
}

/** Parses the arguments of `sandbox kube`; raises UsageError with one clear line for bad ones. */
export function parseKubeArguments(args: string[]): KubeArguments | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        kubeconfig: { type: 'string' },
        'time-scale': { type: 'string' },
        port: { type: 'string' },
        'log-requests': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError(`kube: ${(error as Error).message}`);
  }

  const values = parsed.values;
  if (values.help) return 'help';
  if (!values.kubeconfig) throw new UsageError('kube: --kubeconfig FILE is required (where to write the kubeconfig)');

  const timeScale = Number(values['time-scale'] ?? '1');
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
    throw new UsageError(`kube: --time-scale must be a positive number, got ${JSON.stringify(values['time-scale'])}`);
  }
  const port = Number(values.port ?? '0');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`kube: --port must be a whole number from 0 to 65535, got ${JSON.stringify(values.port)}`);
  }
  return { kubeconfig: values.kubeconfig, timeScale, port, logRequests: values['log-requests'] ?? false };
}

/**
 * Runs `sandbox kube`: starts the simulator, prints `ready` and waits for
 * SIGINT or SIGTERM, then stops it. Resolves with the exit code.
 */
export async function runKubeCommand(args: string[]): Promise<number> {
  const options = parseKubeArguments(args);
  if (options === 'help') {
    console.log(kubeUsage);
    return 0;
  }

  const sim = await startKubeSimulator({ kubeconfigPath: options.kubeconfig, timeScale: options.timeScale, port: options.port });
  console.error(`Kubernetes API simulator serving ${sim.url} (time scale ${sim.timeScale}); kubeconfig written to ${sim.kubeconfigPath}`);
  if (options.logRequests) logRequests(sim.requests);
  console.log('ready');

  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  console.error(`Received ${signal}; stopping the Kubernetes API simulator`);
  await sim.stop();
  return 0;
}

/** Prints each request to standard error as it is recorded, by wrapping the log's push. */
function logRequests(requests: { method: string; path: string; status: number; verb?: string }[]): void {
  const push = requests.push.bind(requests);
  requests.push = (...records) => {
    for (const record of records) {
      // The status is set when the response is sent, so print on the next turn.
      setImmediate(() => console.error(`${record.method} ${record.path} ${record.status}${record.verb ? ` (${record.verb})` : ''}`));
    }
    return push(...records);
  };
}
