import { ConfigurationError } from '../errors.ts';
import { closestMatch } from '../suggest.ts';
import type { SmokeCheck } from './model.ts';

/** Template names that the credentials inputs provide rather than a capture. */
export const credentialNames = ['username', 'password'] as const;

/**
 * Returns, for each check, the indexes of the checks whose captures it uses.
 * Throws a ConfigurationError when a template names a value that no check
 * captures, when two checks capture the same name, or when captures depend
 * on each other in a cycle.
 */
export function dependencyGraph(input: string, checks: readonly SmokeCheck[]): number[][] {
  const capturedBy = new Map<string, number>();
  checks.forEach((check, index) => {
    for (const capture of check.captures) {
      const previous = capturedBy.get(capture.name);
      if (previous !== undefined) {
        throw new ConfigurationError(`Input "${input}": checks "${checks[previous]?.name}" and "${check.name}" both capture "${capture.name}": capture names must be unique.`);
      }
      if ((credentialNames as readonly string[]).includes(capture.name)) {
        throw new ConfigurationError(`Input "${input}": check "${check.name}" captures "${capture.name}", a name reserved for the credentials inputs.`);
      }
      capturedBy.set(capture.name, index);
    }
  });

  const graph = checks.map((check) => dependenciesOf(input, check, capturedBy));
  rejectCycles(input, checks, graph);
  return graph;
}

function dependenciesOf(input: string, check: SmokeCheck, capturedBy: ReadonlyMap<string, number>): number[] {
  const dependencies = new Set<number>();
  for (const name of check.uses) {
    if ((credentialNames as readonly string[]).includes(name)) continue;
    const index = capturedBy.get(name);
    if (index === undefined) {
      const known = [...credentialNames, ...capturedBy.keys()];
      const suggestion = closestMatch(name, known);
      const hint = suggestion ? ` Did you mean "${suggestion}"?` : ` Known names: ${known.join(', ')}.`;
      throw new ConfigurationError(`Input "${input}": check "${check.name}" uses "{{ ${name} }}", but no check captures "${name}".${hint}`);
    }
    dependencies.add(index);
  }
  return [...dependencies];
}

function rejectCycles(input: string, checks: readonly SmokeCheck[], graph: readonly number[][]): void {
  const state = new Array<'new' | 'visiting' | 'done'>(checks.length).fill('new');
  const path: number[] = [];

  const visit = (index: number): void => {
    if (state[index] === 'done') return;
    if (state[index] === 'visiting') {
      const cycle = [...path.slice(path.indexOf(index)), index].map((item) => `"${checks[item]?.name}"`);
      throw new ConfigurationError(`Input "${input}": checks depend on each other's captures in a cycle: ${cycle.join(' → ')}.`);
    }
    state[index] = 'visiting';
    path.push(index);
    for (const dependency of graph[index] ?? []) visit(dependency);
    path.pop();
    state[index] = 'done';
  };

  checks.forEach((_check, index) => visit(index));
}
