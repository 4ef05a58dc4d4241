import { ConfigurationError, invalidInput } from '../errors.ts';
import type { InputReader } from '../inputs.ts';
import { registerSecret } from '../secrets.ts';
import { asArray, asObject, rejectUnknownKeys } from '../structured.ts';
import { credentialNames, dependencyGraph } from './dependencies.ts';
import type { SmokeCheck, SmokeConfig, SmokeEnvironment, TlsSettings } from './model.ts';
import { parseCheck, type CheckDefaults } from './parse-check.ts';
import { presetChecks, presetNames, type PresetName } from './preset.ts';

/** Options for the names of an action's smoke-test inputs. */
export interface SmokeInputOptions {
  /** Prepended to every input name, such as `smoke-` for `smoke-base-url`. Default ''. */
  prefix?: string;
}

/** The P95 latency budgets of the runbook, in milliseconds. */
export const environmentP95BudgetMs: Record<SmokeEnvironment, number> = { staging: 500, production: 200 };

/** The unprefixed names of every input that readSmokeInputs reads, in the order it reads them. */
export const smokeInputNames = [
  'base-url',
  'preset',
  'checks',
  'username',
  'password',
  'environment',
  'concurrency',
  'timeout',
  'request-timeout',
  'retries',
  'retry-delay',
  'warm-up',
  'consecutive-successes',
  'max-redirects',
  'ca-certificate',
  'insecure-skip-tls-verify',
  'latency-budget',
  'p95-budget',
] as const;

/**
 * Reads and validates the smoke-test inputs into a SmokeConfig. `base-url`
 * is required, and `preset`, `checks` or both must be set. Throws a
 * ConfigurationError naming the input, the value and the expected form.
 * Masks the password and secret header values as soon as they are read.
 * This module loads no HTTP client, so an action's settings can import it.
 */
export async function readSmokeInputs(inputs: InputReader, options: SmokeInputOptions = {}): Promise<SmokeConfig> {
  const name = (input: (typeof smokeInputNames)[number]): string => `${options.prefix ?? ''}${input}`;

  const baseUrl = inputs.url(name('base-url'), { required: true });
  const preset = readPreset(inputs, name('preset'));
  const checksValue = await inputs.structured(name('checks'));
  const credentials = { username: inputs.string(name('username')), password: inputs.string(name('password')) };
  registerSecret(credentials.password);
  const environment = readEnvironment(inputs, name('environment'));

  const concurrency = inputs.integer(name('concurrency'), { default: 10 }, { min: 1, max: 100 });
  const timeoutMs = inputs.duration(name('timeout'), { default: '2m' }, { min: 1 });
  const requestTimeoutMs = inputs.duration(name('request-timeout'), { default: '10s' }, { min: 1 });
  const retries = inputs.integer(name('retries'), { default: 4 }, { min: 0, max: 100 });
  const initialDelayMs = inputs.duration(name('retry-delay'), { default: '1s' }, { min: 0 });
  const warmUpMs = inputs.duration(name('warm-up'), { default: '0s' }, { min: 0 });
  const consecutiveSuccesses = inputs.integer(name('consecutive-successes'), { default: 1 }, { min: 1, max: 100 });
  const maxRedirects = inputs.integer(name('max-redirects'), { default: 5 }, { min: 0, max: 50 });
  const tls = readTls(inputs, name('ca-certificate'), name('insecure-skip-tls-verify'));
  const latencyBudgetMs = readOptionalDuration(inputs, name('latency-budget'));
  const p95BudgetMs = readOptionalDuration(inputs, name('p95-budget')) ?? (environment ? environmentP95BudgetMs[environment] : undefined);

  const defaults: CheckDefaults = { timeoutMs: requestTimeoutMs, consecutiveSuccesses, latencyBudgetMs };
  const checks = [...parsePreset(name('preset'), preset, defaults), ...parseChecks(name('checks'), checksValue, defaults)];
  if (checks.length === 0) {
    throw new ConfigurationError(`Inputs "${name('preset')}" and "${name('checks')}" are both empty: set preset: atom, a checks list, or both.`);
  }

  registerSecretHeaders(checks);
  dependencyGraph(name('checks'), checks);
  requireCredentials(checks, credentials, name);

  return {
    baseUrl,
    checks,
    credentials,
    concurrency,
    timeoutMs,
    retry: { retries, initialDelayMs, maxDelayMs: Math.max(initialDelayMs, 10_000), warmUpMs },
    maxRedirects,
    tls,
    environment,
    p95BudgetMs,
  };
}

function readPreset(inputs: InputReader, input: string): PresetName | undefined {
  if (inputs.raw(input) === '') return undefined;
  return inputs.choice(input, presetNames, { required: true });
}

function readEnvironment(inputs: InputReader, input: string): SmokeEnvironment | undefined {
  if (inputs.raw(input) === '') return undefined;
  return inputs.choice<SmokeEnvironment>(input, ['staging', 'production'], { required: true });
}

/** Reads an optional latency budget; a bare number is rejected, because `500` could mean milliseconds or seconds. */
function readOptionalDuration(inputs: InputReader, input: string): number | undefined {
  if (inputs.raw(input) === '') return undefined;
  return inputs.duration(input, { required: true }, { min: 1, requireUnit: true });
}

function readTls(inputs: InputReader, caInput: string, insecureInput: string): TlsSettings {
  const insecureSkipVerify = inputs.boolean(insecureInput, { default: false });
  const raw = inputs.raw(caInput);
  if (raw === '') return { insecureSkipVerify };

  const text = raw.includes('-----BEGIN') ? raw : inputs.inlineOrFile(caInput, raw);
  if (!/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(text)) {
    throw invalidInput(caInput, raw, 'PEM certificates (-----BEGIN CERTIFICATE-----) or the path of a file in the workspace that contains them');
  }
  return { ca: text, insecureSkipVerify };
}

function parsePreset(input: string, preset: PresetName | undefined, defaults: CheckDefaults): SmokeCheck[] {
  if (!preset) return [];
  return presetChecks(preset).map((check, index) => parseCheck(input, index, check, defaults));
}

/** Parses the `checks` input: a list of checks, or a mapping whose only key `checks` contains that list. */
function parseChecks(input: string, value: unknown, defaults: CheckDefaults): SmokeCheck[] {
  if (value === undefined || value === null) return [];

  let list: unknown = value;
  if (!Array.isArray(value)) {
    const object = asObject(input, 'the document', value);
    rejectUnknownKeys(input, 'the document', object, ['checks']);
    list = object['checks'];
  }
  return asArray(input, 'checks', list).map((check, index) => parseCheck(input, index, check, defaults));
}

/**
 * Masks the values of headers marked secret. A value with templates is left
 * to its parts: the password is masked above and captures when captured.
 */
export function registerSecretHeaders(checks: readonly SmokeCheck[]): void {
  for (const check of checks) {
    for (const header of Object.values(check.headers)) {
      if (header.secret && !header.value.includes('{{')) registerSecret(header.value);
    }
  }
}

function requireCredentials(checks: readonly SmokeCheck[], credentials: SmokeConfig['credentials'], name: (input: 'username' | 'password') => string): void {
  for (const credential of credentialNames) {
    if (credentials[credential] !== '') continue;
    const user = checks.find((check) => check.uses.includes(credential));
    if (user) throw new ConfigurationError(`Input "${name(credential)}" is required because check "${user.name}" uses {{ ${credential} }}.`);
  }
}
