import { ConfigurationError } from '../errors.ts';
import { closestMatch } from '../suggest.ts';

/** Builds the error for a `context` input that the kubeconfig does not contain, with the closest name as a suggestion. */
export function unknownContextError(context: string, names: string[], origin: string): ConfigurationError {
  const suggestion = closestMatch(context, names);
  const hint = suggestion ? ` Did you mean "${suggestion}"?` : '';
  const known = names.length > 0 ? names.map((name) => `"${name}"`).join(', ') : 'none';
  return new ConfigurationError(`Input "context" names the context "${context}", which the kubeconfig from ${origin} does not contain (contexts: ${known}).${hint}`);
}

/** Returns the first line of a parser message without its final period, to fit into one sentence. */
export function firstLine(text: string): string {
  return (text.split('\n')[0] ?? text).replace(/\.$/, '');
}

/** Builds the error for a file in KUBECONFIG that does not exist. */
export function missingKubeconfigFileError(file: string): ConfigurationError {
  return new ConfigurationError(`The kubeconfig file ${file} named in KUBECONFIG was not found.`);
}

/** Builds the error for a job with no kubeconfig input, no KUBECONFIG and no in-cluster service account. */
export function noCredentialsError(inputName: string): ConfigurationError {
  return new ConfigurationError(
    `No Kubernetes credentials found: set the "${inputName}" input to the content of a kubeconfig file, set KUBECONFIG, or run the job inside the cluster.`,
  );
}

/** Builds the error for a selected context that names no cluster, or a kubeconfig without current-context. */
export function noClusterError(origin: string, context: string): ConfigurationError {
  const problem = context ? `its context "${context}" names no cluster` : 'it sets no current-context';
  return new ConfigurationError(`The kubeconfig from ${origin} cannot be used: ${problem}. Set the "context" input to one of its contexts.`);
}
