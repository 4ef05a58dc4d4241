import * as fs from 'node:fs';
import * as path from 'node:path';

import { describe, expect, test } from '@jest/globals';

import { actionReadmes, renderTables, updateReadme } from '../../scripts/readme-tables.ts';
import { repositoryRoot } from '../helpers/actions.ts';

describe.each(actionReadmes(repositoryRoot).map((entry) => [path.relative(repositoryRoot, entry.readme), entry] as const))('%s', (_name, entry) => {
  const readme = fs.readFileSync(entry.readme, 'utf8');

  test('tables match action.yml', () => {
    expect(updateReadme(readme, fs.readFileSync(entry.actionFile, 'utf8'))).toBe(readme);
  });

  test('shows a usage example', () => {
    expect(readme).toMatch(/```yaml[\s\S]*uses: [\w.-]+\/atom-actions(\/[\w-]+)?@v1/);
  });
});

describe('renderTables', () => {
  test('escapes pipes in descriptions', () => {
    const tables = renderTables("inputs:\n  mode:\n    description: 'a | b'\n    default: 'x'\noutputs: {}\n");
    expect(tables).toContain('| `mode` | no | `x` | a \\| b |');
  });
});
