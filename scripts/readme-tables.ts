// Generates the inputs and outputs tables of each action's README from its
// action.yml, between the markers <!-- action-docs:start --> and
// <!-- action-docs:end -->. Usage: node scripts/readme-tables.ts [--check]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import { parse } from 'yaml';

interface Definition {
  description?: string;
  required?: boolean;
  default?: string;
}

const startMarker = '<!-- action-docs:start -->';
const endMarker = '<!-- action-docs:end -->';

/** Returns the README path of every action with an action.yml: the root action's is docs/verify.md. */
export function actionReadmes(root: string): { actionFile: string; readme: string }[] {
  const actions = fs
    .readdirSync(path.join(root, 'actions'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(root, 'actions', entry.name))
    .map((directory) => ({ actionFile: path.join(directory, 'action.yml'), readme: path.join(directory, 'README.md') }));
  return [{ actionFile: path.join(root, 'action.yml'), readme: path.join(root, 'docs', 'verify.md') }, ...actions].filter((entry) =>
    fs.existsSync(entry.actionFile),
  );
}

/** Renders the inputs and outputs tables of an action.yml as Markdown. */
export function renderTables(actionYaml: string): string {
  const metadata = parse(actionYaml) as { inputs?: Record<string, Definition>; outputs?: Record<string, Definition> };
  const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ').trim();

  const inputRows = Object.entries(metadata.inputs ?? {}).map(
    ([name, input]) =>
      `| \`${name}\` | ${input.required ? 'yes' : 'no'} | ${input.default !== undefined && input.default !== '' ? `\`${cell(String(input.default))}\`` : ''} | ${cell(input.description ?? '')} |`,
  );
  const outputRows = Object.entries(metadata.outputs ?? {}).map(([name, output]) => `| \`${name}\` | ${cell(output.description ?? '')} |`);

  return [
    '### Inputs',
    '',
    '| name | required | default | description |',
    '| --- | --- | --- | --- |',
    ...inputRows,
    '',
    '### Outputs',
    '',
    '| name | description |',
    '| --- | --- |',
    ...outputRows,
  ].join('\n');
}

/** Returns the README text with the generated tables put between the markers. */
export function updateReadme(readme: string, actionYaml: string): string {
  const start = readme.indexOf(startMarker);
  const end = readme.indexOf(endMarker);
  if (start < 0 || end < start) throw new Error(`missing the markers ${startMarker} and ${endMarker}`);
  return `${readme.slice(0, start + startMarker.length)}\n${renderTables(actionYaml)}\n${readme.slice(end)}`;
}

if (import.meta.main) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const { actionFile, readme } of actionReadmes(root)) {
    const current = fs.existsSync(readme) ? fs.readFileSync(readme, 'utf8') : '';
    const updated = updateReadme(current, fs.readFileSync(actionFile, 'utf8'));
    if (updated === current) continue;
    if (check) {
      console.error(`${path.relative(root, readme)} is out of date: run "npm run docs".`);
      stale++;
    } else {
      fs.writeFileSync(readme, updated);
      console.log(`Updated ${path.relative(root, readme)}`);
    }
  }
  process.exitCode = stale > 0 ? 1 : 0;
}
