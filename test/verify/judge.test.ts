import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { describe, expect, test } from '@jest/globals';

import { judgeMetric } from '../../src/checks/metrics.ts';
import { checkPods } from '../../src/checks/pods.ts';
import type { MetricQuery } from '../../src/metrics-settings.ts';

const errorRate: MetricQuery = { name: 'error rate', query: 'q', threshold: 1, direction: 'below', scale: 100, unit: '%' };
const successRate: MetricQuery = { name: 'deployment success rate', query: 'q', threshold: 95, direction: 'above', scale: 100, unit: '%' };
const silentLog = { info: () => {}, warning: () => {} };

describe('judgeMetric', () => {
  test('value within threshold passes', () => {
    const line = judgeMetric(errorRate, { kind: 'value', query: 'q', value: 0.004, series: [] }, 'warn');
    expect(line.result).toBe('pass');
    expect(line.value).toBe('0.4%');
    expect(line.threshold).toBe('≤ 1%');
  });

  test('value over threshold fails', () => {
    expect(judgeMetric(errorRate, { kind: 'value', query: 'q', value: 0.05, series: [] }, 'warn').result).toBe('fail');
  });

  test('threshold itself passes', () => {
    expect(judgeMetric(errorRate, { kind: 'value', query: 'q', value: 0.01, series: [] }, 'warn').result).toBe('pass');
    expect(judgeMetric(successRate, { kind: 'value', query: 'q', value: 0.95, series: [] }, 'warn').result).toBe('pass');
  });

  test('above direction fails below', () => {
    expect(judgeMetric(successRate, { kind: 'value', query: 'q', value: 0.9, series: [] }, 'warn').result).toBe('fail');
    expect(judgeMetric(successRate, { kind: 'value', query: 'q', value: 0.99, series: [] }, 'warn').result).toBe('pass');
  });

  test.each([
    ['warn', 'warn'],
    ['fail', 'fail'],
    ['pass', 'pass'],
  ] as const)('no data with on-no-data %s', (onNoData, expected) => {
    const line = judgeMetric(errorRate, { kind: 'no-data', query: 'rate(missing[5m])', detail: 'empty result' }, onNoData);
    expect(line.result).toBe(expected);
    expect(line.detail).toContain('rate(missing[5m])');
  });

  test('query error fails and names query', () => {
    const line = judgeMetric(errorRate, { kind: 'error', query: 'q', detail: 'connection refused', errorType: 'connection-refused', permanent: false }, 'pass');
    expect(line.result).toBe('fail');
    expect(line.detail).toContain('connection refused');
  });
});

function pod(name: string, ready: boolean, container: Partial<NonNullable<NonNullable<V1Pod['status']>['containerStatuses']>[number]> = {}, startTime = new Date()): V1Pod {
  return {
    metadata: { name },
    status: {
      startTime,
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: [{ name: 'app', image: 'atom:v1', imageID: '', ready, restartCount: 0, ...container }],
    },
  };
}

const deployment: V1Deployment = { spec: { replicas: 2, selector: { matchLabels: { app: 'atom' } }, template: {} } };
const settings = { windowMs: 600_000, maxRestarts: 0, logPatterns: [/error/i], maxLogMatches: 0 };

describe('checkPods', () => {
  test('all ready passes', () => {
    const lines = checkPods({ deployment, pods: [pod('a', true), pod('b', true)] }, settings, silentLog);
    expect(lines.map((line) => [line.name, line.result, line.value])).toEqual([
      ['ready pods', 'pass', '2/2 ready'],
      ['CrashLoopBackOff', 'pass', '0'],
      ['restarts in window', 'pass', '0'],
    ]);
  });

  test('crash loop fails with names', () => {
    const crashing = pod('b', false, { restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } });
    const lines = checkPods({ deployment, pods: [pod('a', true), crashing] }, settings, silentLog);
    expect(lines[0]?.result).toBe('fail');
    expect(lines[0]?.detail).toContain('not ready: b');
    expect(lines[1]?.detail).toBe('In CrashLoopBackOff: b/app.');
    expect(lines[2]?.value).toBe('4');
  });

  test('old pod restart counts once', () => {
    const now = Date.now();
    const old = pod('a', true, { restartCount: 7, lastState: { terminated: { exitCode: 1, finishedAt: new Date(now - 60_000) } } }, new Date(now - 86_400_000));
    const lines = checkPods({ deployment, pods: [old, pod('b', true)] }, { ...settings, maxRestarts: 1 }, silentLog, now);
    expect(lines[2]?.value).toBe('1');
    expect(lines[2]?.result).toBe('pass');
  });
});
