import { describe, expect, test } from '@jest/globals';

import { classifyQueryResponse } from '@atom-actions/shared/prometheus/result';

import { effectiveThreshold, judgeValue } from '../../actions/canary-promote/src/analysis/judge.ts';
import { fillTemplate } from '../../actions/canary-promote/src/analysis/template.ts';
import { withWeights } from '../../actions/canary-promote/src/routers/gateway-api.ts';
import { canaryReplicasFor } from '../../actions/canary-promote/src/routers/replicas.ts';
import { parsePauses, parseSteps } from '../../actions/canary-promote/src/settings.ts';
import type { MetricDefinition } from '../../actions/canary-promote/src/settings/metrics.ts';

const errorRate: MetricDefinition = { name: 'error-rate', query: 'q', threshold: 0.01, direction: 'below', unit: 'percent', tolerance: { kind: 'points', value: 0.005 } };
const latency: MetricDefinition = { name: 'p95-latency', query: 'q', threshold: 0.5, direction: 'below', unit: 'seconds', tolerance: { kind: 'relative', value: 0.2 } };

describe('classifyQueryResponse', () => {
  test('one series is a value', () => {
    const outcome = classifyQueryResponse('q', 200, JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, '0.25'] }] } }));
    expect(outcome).toMatchObject({ kind: 'value', value: 0.25 });
  });

  test('empty vector is no data', () => {
    const outcome = classifyQueryResponse('q', 200, JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }));
    expect(outcome.kind).toBe('no-data');
  });

  test('NaN is no data', () => {
    const outcome = classifyQueryResponse('q', 200, JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [1, 'NaN'] } }));
    expect(outcome.kind).toBe('no-data');
  });

  test('several series are a permanent error', () => {
    const result = [{ metric: { version: 'v1' }, value: [1, '1'] }, { metric: { version: 'v2' }, value: [1, '2'] }];
    const outcome = classifyQueryResponse('q', 200, JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
    expect(outcome).toMatchObject({ kind: 'error', permanent: true });
    expect(outcome.kind === 'error' && outcome.detail).toContain('sum() or max()');
  });

  test('bad_data is a permanent error', () => {
    const outcome = classifyQueryResponse('q', 400, JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error' }));
    expect(outcome).toMatchObject({ kind: 'error', errorType: 'bad_data', permanent: true });
  });

  test('HTML error page is an error', () => {
    expect(classifyQueryResponse('q', 502, '<html>bad gateway</html>')).toMatchObject({ kind: 'error', permanent: false });
  });
});

describe('judgeValue', () => {
  test('value at the threshold passes', () => {
    expect(judgeValue(errorRate, 'q', 0.01, 0.01).verdict).toBe('pass');
  });

  test('breach names value and threshold', () => {
    const result = judgeValue(errorRate, 'q', 0.025, 0.01);
    expect(result.verdict).toBe('fail');
    expect(result.detail).toBe('error-rate 2.5% is above the maximum 1%');
  });

  test('direction above fails below the minimum', () => {
    const throughput: MetricDefinition = { name: 'throughput', query: 'q', threshold: 100, direction: 'above', unit: 'number' };
    expect(judgeValue(throughput, 'q', 99, 100).verdict).toBe('fail');
    expect(judgeValue(throughput, 'q', 100, 100).verdict).toBe('pass');
  });
});

describe('effectiveThreshold', () => {
  test('points are added to stable', () => {
    expect(effectiveThreshold(errorRate, 0.02)).toBeCloseTo(0.025);
  });

  test('relative tolerance multiplies stable', () => {
    expect(effectiveThreshold(latency, 0.3)).toBeCloseTo(0.36);
  });

  test('no stable value keeps the fixed threshold', () => {
    expect(effectiveThreshold(latency, undefined)).toBe(0.5);
  });
});

describe('fillTemplate', () => {
  test('fills every placeholder', () => {
    const values = { version: 'v2', namespace: 'shop', interval: '1m', deployment: 'web' };
    expect(fillTemplate('m', 'x{version="{{ version }}",namespace="{{namespace}}"}[{{ interval }}] # {{ deployment }}', values)).toBe('x{version="v2",namespace="shop"}[1m] # web');
  });

  test('unknown placeholder is rejected', () => {
    const values = { version: 'v2', namespace: 'shop', interval: '1m', deployment: 'web' };
    expect(() => fillTemplate('latency', 'x[{{ window }}]', values)).toThrow('unknown placeholder {{ window }}');
  });
});

describe('canaryReplicasFor', () => {
  test.each([
    [0, 4, 0],
    [10, 4, 1],
    [50, 4, 2],
    [100, 4, 4],
    [10, 20, 2],
    [1, 1, 1],
  ])('weight %i of %i replicas gives %i', (weight, total, expected) => {
    expect(canaryReplicasFor(weight, total)).toBe(expected);
  });
});

describe('withWeights', () => {
  const rule = { matches: [{ path: { value: '/' } }], backendRefs: [{ name: 'other', port: 80 }, { name: 'web', port: 80 }] };

  test('adds the canary next to stable', () => {
    expect(withWeights(rule, 'web', 'web-canary', 30).backendRefs).toEqual([
      { name: 'other', port: 80 },
      { name: 'web', port: 80, weight: 70 },
      { name: 'web-canary', port: 80, weight: 30 },
    ]);
  });

  test('removes the canary after promotion', () => {
    const weighted = withWeights(rule, 'web', 'web-canary', 30);
    expect(withWeights(weighted, 'web', 'web-canary', undefined).backendRefs).toEqual([
      { name: 'other', port: 80 },
      { name: 'web', port: 80, weight: 100 },
    ]);
  });

  test('leaves rules without stable alone', () => {
    const unrelated = { backendRefs: [{ name: 'api', port: 80 }] };
    expect(withWeights(unrelated, 'web', 'web-canary', 30)).toBe(unrelated);
  });
});

describe('steps and pauses', () => {
  test('steps must increase', () => {
    expect(parseSteps(['10', '50', '100'], '10,50,100')).toEqual([10, 50, 100]);
    expect(() => parseSteps(['50', '10'], '50,10')).toThrow('Input "steps" has an invalid value "50,10"');
  });

  test('one pause applies to every step', () => {
    expect(parsePauses(['30s'], 3)).toEqual([30_000, 30_000, 30_000]);
  });

  test('pause count must match the steps', () => {
    expect(() => parsePauses(['1m', '2m'], 3)).toThrow('one per step (3 for the steps given)');
  });
});
