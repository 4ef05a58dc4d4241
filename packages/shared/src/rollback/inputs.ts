import { invalidInput } from '../errors.ts';
import type { InputReader } from '../inputs.ts';

/** The rollback inputs of an action, parsed and validated. */
export interface RollbackInputs {
  deployments: string[];
  namespace: string;
  /** Content of a kubeconfig file, or '' to use KUBECONFIG or the in-cluster account. */
  kubeconfig: string;
  /** Context to select, or '' for the kubeconfig's current-context. */
  context: string;
  /** Revision to roll back to; undefined for the previous revision. */
  toRevision: number | undefined;
  /** Revision judged bad: roll back only while the Deployment is still at it. */
  expectedRevision: number | undefined;
  /** Limit for the rollback and the wait together, in milliseconds. */
  timeoutMs: number;
  wait: boolean;
  reason: string;
  dryRun: boolean;
}

/** Options of `readRollbackInputs`. */
export interface RollbackInputOptions {
  /** Prefix of every input name, such as `rollback-` in canary-promote. Default ''. */
  prefix?: string;
  /** Whether the Deployments input is required. Default true. */
  deploymentsRequired?: boolean;
}

const kubernetesName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Reads the rollback inputs (`deployments`, `namespace`, `kubeconfig`,
 * `context`, `to-revision`, `expected-revision`, `timeout`, `wait`,
 * `reason`, `dry-run`), each name preceded by `options.prefix`. Loads no
 * Kubernetes client, so an action can call it on its fail-fast path.
 * Throws a ConfigurationError naming the input for a value that does not parse.
 */
export function readRollbackInputs(inputs: InputReader, options: RollbackInputOptions = {}): RollbackInputs {
  const prefix = options.prefix ?? '';
  const name = (base: string): string => `${prefix}${base}`;

  const deploymentsPresence = options.deploymentsRequired === false ? { default: [] } : ({ required: true } as const);
  const deployments = inputs.list(name('deployments'), deploymentsPresence);
  for (const deployment of deployments) validateName(name('deployments'), deployment, 'Deployment names');

  const namespace = inputs.string(name('namespace'), { default: 'default' });
  validateName(name('namespace'), namespace, 'a namespace name');

  return {
    deployments: [...new Set(deployments)],
    namespace,
    kubeconfig: inputs.raw(name('kubeconfig')),
    context: inputs.string(name('context')),
    toRevision: readRevision(inputs, name('to-revision')),
    expectedRevision: readRevision(inputs, name('expected-revision')),
    timeoutMs: inputs.duration(name('timeout'), { default: '5m' }, { min: 1000 }),
    wait: inputs.boolean(name('wait'), { default: true }),
    reason: inputs.string(name('reason')),
    dryRun: inputs.boolean(name('dry-run'), { default: false }),
  };
}

function readRevision(inputs: InputReader, input: string): number | undefined {
  if (inputs.raw(input) === '') return undefined;
  return inputs.integer(input, { required: true }, { min: 1 });
}

function validateName(input: string, value: string, noun: string): void {
  if (value.length <= 253 && kubernetesName.test(value)) return;
  throw invalidInput(input, value, `${noun} made of lower-case letters, digits, '-' and '.' (RFC 1123, at most 253 characters)`);
}
