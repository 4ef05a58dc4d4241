import { ConfigurationError } from '../errors.ts';
import type { InputReader } from '../inputs.ts';

type YamlModule = typeof import('yaml');

/**
 * Reads a YAML or JSON input, inline or from a workspace file, as
 * `InputReader.structured` does, and returns undefined when it is empty.
 *
 * NOTE: this copy exists because `structured.ts` destructures named exports
 * from `await import('yaml')`. In an esbuild bundle with code splitting, a
 * dynamic import of the CommonJS `yaml` package yields only `default`, so
 * `parse` is undefined there (esbuild 0.28). Loading `default` works both
 * bundled and unbundled. Remove this file once structured.ts does the same.
 */
export async function readStructuredInput(inputs: InputReader, name: string): Promise<unknown> {
  const value = inputs.raw(name);
  if (value === '') return undefined;
  const text = inputs.inlineOrFile(name, value);

  const module = (await import('yaml')) as YamlModule & { default?: YamlModule };
  const yaml = module.default ?? module;
  try {
    return yaml.parse(text, { uniqueKeys: true, maxAliasCount: 100 });
  } catch (error) {
    const detail = error instanceof yaml.YAMLParseError ? (error.message.split('\n')[0] ?? error.message) : String(error);
    throw new ConfigurationError(`Input "${name}" is not valid YAML or JSON: ${detail}`);
  }
}
