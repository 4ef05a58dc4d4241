import * as fs from 'node:fs';
import * as path from 'node:path';

import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';

import { ConfigurationError } from '@atom-actions/shared/errors';
import { InputReader } from '@atom-actions/shared/inputs';

import { readSettings } from '../../actions/canary-promote/src/settings.ts';
import { actionDirectory } from '../helpers/actions.ts';

// The runner fills inputs from action.yml's defaults; so does this reader.
const metadata = parse(fs.readFileSync(path.join(actionDirectory('canary-promote'), 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> };
const defaults = Object.fromEntries(Object.entries(metadata.inputs).map(([name, input]) => [name, input.default ?? '']));

function reader(values: Record<string, string>): InputReader {
  return new InputReader((name) => values[name] ?? defaults[name] ?? '', '/nonexistent-workspace');
}

const minimal = { deployment: 'web', images: 'web=registry.example/web:v2', 'prometheus-url': 'http://127.0.0.1:9090' };

describe('canary-promote settings', () => {
  test('bare max-latency is rejected', async () => {
    await expect(readSettings(reader({ ...minimal, 'max-latency': '300' }))).rejects.toThrow(ConfigurationError);
    await expect(readSettings(reader({ ...minimal, 'max-latency': '300' }))).rejects.toThrow(
      'Input "max-latency" has an invalid value "300": expected a duration such as 500ms, 30s, 5m or 1h30m, with a unit',
    );
  });

  test('max-latency with unit is read', async () => {
    const settings = await readSettings(reader({ ...minimal, 'max-latency': '300ms' }));
    const latency = settings.analysis.metrics.find((metric) => metric.threshold === 0.3);
    expect(latency?.threshold).toBe(0.3);
  });
});
