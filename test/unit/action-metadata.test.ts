import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';

import { actionDirectory, repositoryRoot } from '../helpers/actions.ts';
import { actionParseErrors, workflowParseErrors } from '../helpers/github-parser.ts';

const actionNames = ['verify', 'smoke-test', 'canary-promote', 'auto-rollback', 'quality-gate', 'notify'];

describe.each(actionNames)('action.yml of %s', (name) => {
  const file = path.join(actionDirectory(name), 'action.yml');
  const metadata = parse(fs.readFileSync(file, 'utf8'));

  test('passes GitHub parser', () => {
    expect(actionParseErrors(file)).toEqual([]);
  });

  test('runs on node24 with branding', () => {
    expect(metadata.runs.using).toBe('node24');
    expect(metadata.runs.main).toBe('dist/main.js');
    expect(metadata.branding.icon).toEqual(expect.any(String));
    expect(metadata.branding.color).toEqual(expect.any(String));
  });

  test('describes every input and output', () => {
    for (const [input, definition] of Object.entries<{ description?: string }>(metadata.inputs ?? {})) {
      expect(`${input}: ${definition.description ?? ''}`.length).toBeGreaterThan(input.length + 10);
    }
    for (const [output, definition] of Object.entries<{ description?: string }>(metadata.outputs ?? {})) {
      expect(`${output}: ${definition.description ?? ''}`.length).toBeGreaterThan(output.length + 10);
    }
  });

  test('bundle entry points exist', () => {
    expect(fs.existsSync(path.join(actionDirectory(name), metadata.runs.main))).toBe(true);
    if (metadata.runs.post) expect(fs.existsSync(path.join(actionDirectory(name), metadata.runs.post))).toBe(true);
  });
});

describe('GitHub parser', () => {
  test('reports an invalid action', () => {
    const broken = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'atom-parser-')), 'action.yml');
    fs.writeFileSync(broken, "name: x\ndescription: y\nruns:\n  using: 'node24'\n  mian: 'dist/main.js'\n");
    expect(actionParseErrors(broken).length).toBeGreaterThan(0);
  });
});

const exampleFolder = path.join(repositoryRoot, 'workflows-examples');
const workflowFiles = fs.existsSync(exampleFolder)
  ? fs.readdirSync(exampleFolder).filter((name) => /\.ya?ml$/.test(name)).map((name) => path.join(exampleFolder, name))
  : [];

describe('workflows-examples', () => {
  test.each(workflowFiles.length > 0 ? workflowFiles : ['(none yet)'])('%s passes GitHub parser', (file) => {
    if (file === '(none yet)') return;
    expect(workflowParseErrors(file)).toEqual([]);
  });
});
