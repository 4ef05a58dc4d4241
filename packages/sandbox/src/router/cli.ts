import * as fs from 'node:fs';
import { parseArgs } from 'node:util';

import { UsageError } from '../usage-error.ts';
import { startRouter } from './router.ts';
import type { RouterMode } from './weights.ts';

/** Help text of the `router` subcommand. */
export const routerUsage = `Usage: npm run sandbox -- router [options]

Starts the sandbox router: an HTTP proxy on 127.0.0.1 that sends each request
to the stable or canary backend by the weights currently set in the cluster,
read every 200 ms. Prints "ready <url>". Stops on SIGINT or SIGTERM.

Options:
  --kubeconfig FILE   kubeconfig of the cluster, such as the simulator's (required)
  --mode MODE         service (replica counts behind a Service; also blue-green),
                      nginx (canary Ingress), gateway-api (HTTPRoute) or smi (TrafficSplit)
  --namespace NAME    namespace of the routing object (default default)
  --name NAME         the Service, stable Ingress, HTTPRoute or TrafficSplit (required)
  --backend NAME=URL  a backend: a Deployment name in service mode, a Service name
                      otherwise, and the loopback URL that serves it; repeat per backend
  --port N            port to listen on; 0 picks a free one (default 0)
  --help              print this help

The response header x-sandbox-backend names the backend that served a request.`;

const modes: readonly RouterMode[] = ['service', 'nginx', 'gateway-api', 'smi'];

/** Runs the `router` subcommand until SIGINT or SIGTERM and resolves with the exit code. Throws UsageError for an invalid argument. */
export async function runRouterCommand(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      kubeconfig: { type: 'string' },
      mode: { type: 'string', default: 'service' },
      namespace: { type: 'string', default: 'default' },
      name: { type: 'string' },
      backend: { type: 'string', multiple: true, default: [] },
      port: { type: 'string', default: '0' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(routerUsage);
    return 0;
  }

  if (!values.kubeconfig) throw new UsageError('--kubeconfig is required: the kubeconfig file of the cluster, such as the one `npm run sandbox -- kube` writes.');
  if (!values.name) throw new UsageError('--name is required: the Service, Ingress, HTTPRoute or TrafficSplit that carries the weights.');
  if (!modes.includes(values.mode as RouterMode)) throw new UsageError(`--mode has the invalid value "${values.mode}": expected one of ${modes.join(', ')}.`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port has the invalid value "${values.port}": expected a whole number from 0 to 65535.`);

  const router = await startRouter({
    kubeconfig: fs.readFileSync(values.kubeconfig, 'utf8'),
    source: { mode: values.mode as RouterMode, namespace: values.namespace, name: values.name },
    backends: parseBackends(values.backend),
    port,
  });
  console.log(`ready ${router.url}`);

  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      console.log(`Received ${signal}, stopping the router`);
      router.stop().then(resolve, resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

function parseBackends(items: readonly string[]): Record<string, string> {
  const backends: Record<string, string> = {};
  for (const item of items) {
    const match = /^([^=]+)=(http:\/\/(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?\/?)$/.exec(item);
    if (!match) throw new UsageError(`--backend has the invalid value "${item}": expected NAME=URL with a loopback http URL, such as web-canary=http://127.0.0.1:8081.`);
    backends[match[1]!] = match[2]!;
  }
  if (Object.keys(backends).length === 0) throw new UsageError('--backend is required at least once: NAME=URL for the stable and the canary backend.');
  return backends;
}
