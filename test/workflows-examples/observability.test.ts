import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';

import { actionDirectory } from '../helpers/actions.ts';
import { checkExpressions, listMetricNames, resolveGrafanaVariables, runPromtool } from './promql-metrics.ts';
import { examplesDirectory } from './workflow-files.ts';

const prometheusDirectory = path.join(examplesDirectory, 'prometheus');
const dashboardFile = path.join(examplesDirectory, 'grafana', 'deployment-overview.json');

/** Metrics that canary-promote pushes to the Pushgateway when `pushgateway-url` is set. */
const pushedMetrics = ['deployment_total', 'deployment_rollback_total', 'deployment_duration_seconds', 'canary_traffic_percentage'];

/** Metrics that the service exports, as the sandbox demo service does; the histogram has three series names. */
const serviceMetrics = ['http_requests_total', 'http_request_duration_seconds_bucket', 'http_request_duration_seconds_sum', 'http_request_duration_seconds_count'];

/** Metrics that workflows-examples/README.md defines for the service or a smoke-test runner to export. */
const documentedMetrics = ['smoke_test_checks_total', 'db_pool_connections_in_use', 'db_pool_connections_max'];

const knownMetrics = new Set([...pushedMetrics, ...serviceMetrics, ...documentedMetrics]);

/** The runbook's thresholds: the comparison each alert expression ends with, per severity. */
const runbookThresholds: Record<string, { warning: string; critical: string }> = {
  HighErrorRate: { warning: '> 0.01', critical: '> 0.05' },
  HighLatencyP95: { warning: '> 0.5', critical: '> 2' },
  LowDeploymentSuccessRate: { warning: '< 0.95', critical: '< 0.90' },
  LowSmokeTestPassRate: { warning: '< 0.98', critical: '< 0.95' },
  HighDatabasePoolUsage: { warning: '> 0.8', critical: '> 0.9' },
};

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  labels?: Record<string, string>;
}

interface RulesTest {
  alert_rule_test?: { alertname: string; exp_alerts: { exp_labels: Record<string, string> }[] }[];
}

interface Panel {
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: { expr: string; datasource?: { uid: string } }[];
}

const rules = (parse(fs.readFileSync(path.join(prometheusDirectory, 'alerts.yml'), 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap((group) => group.rules);
const dashboard = JSON.parse(fs.readFileSync(dashboardFile, 'utf8')) as {
  templating: { list: { name: string; type: string; query: unknown }[] };
  panels: Panel[];
};
const panels = dashboard.panels.filter((panel) => panel.type !== 'row');

describe('prometheus/alerts.yml', () => {
  test('passes promtool check rules', async () => {
    const result = await runPromtool(['check', 'rules', 'alerts.yml'], prometheusDirectory);
    expect(result.output).toContain('SUCCESS');
    expect(result.exitCode).toBe(0);
  });

  test('passes promtool test rules', async () => {
    const result = await runPromtool(['test', 'rules', 'alerts.test.yml'], prometheusDirectory);
    expect(result.output).toContain('SUCCESS');
    expect(result.exitCode).toBe(0);
  });

  test('rules test catches wrong threshold', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'alerts-'));
    try {
      const original = fs.readFileSync(path.join(prometheusDirectory, 'alerts.yml'), 'utf8');
      const broken = original.replace('version:http_request_error_ratio:rate5m > 0.05', 'version:http_request_error_ratio:rate5m > 0.5');
      expect(broken).not.toBe(original);
      fs.writeFileSync(path.join(folder, 'alerts.yml'), broken);
      fs.copyFileSync(path.join(prometheusDirectory, 'alerts.test.yml'), path.join(folder, 'alerts.test.yml'));

      const result = await runPromtool(['test', 'rules', 'alerts.test.yml'], folder);
      expect(result.exitCode).not.toBe(0);
      expect(result.output).toContain('alertname: HighErrorRate');
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  test('thresholds follow the runbook', () => {
    const alerts = rules.filter((rule) => rule.alert !== undefined);
    const found = alerts.map((rule) => `${rule.alert} ${rule.labels?.severity}`).sort();
    const expected = Object.keys(runbookThresholds).flatMap((name) => [`${name} critical`, `${name} warning`]).sort();
    expect(found).toEqual(expected);

    for (const rule of alerts) {
      const severity = rule.labels?.severity as 'warning' | 'critical';
      const comparison = runbookThresholds[rule.alert ?? '']?.[severity] ?? '';
      expect({ alert: rule.alert, severity, expr: rule.expr.trim().endsWith(comparison) }).toEqual({ alert: rule.alert, severity, expr: true });
    }
  });

  test('rules test fires every critical alert', () => {
    const tests = (parse(fs.readFileSync(path.join(prometheusDirectory, 'alerts.test.yml'), 'utf8')) as { tests: RulesTest[] }).tests;
    const fired = new Set(
      tests.flatMap((rulesTest) =>
        (rulesTest.alert_rule_test ?? []).flatMap((check) => check.exp_alerts.filter((alert) => alert.exp_labels.severity === 'critical').map(() => check.alertname)),
      ),
    );
    expect([...fired].sort()).toEqual(Object.keys(runbookThresholds).sort());
  });

  test('uses only known metrics', () => {
    const recorded = new Set(rules.flatMap((rule) => (rule.record ? [rule.record] : [])));
    for (const rule of rules) {
      const unknown = listMetricNames(rule.expr).filter((name) => !knownMetrics.has(name) && !recorded.has(name));
      expect({ rule: rule.alert ?? rule.record, unknown }).toEqual({ rule: rule.alert ?? rule.record, unknown: [] });
    }
  });
});

describe('grafana/deployment-overview.json', () => {
  test('has a Prometheus datasource variable', () => {
    const variable = dashboard.templating.list.find((candidate) => candidate.name === 'datasource');
    expect(variable).toMatchObject({ type: 'datasource', query: 'prometheus' });

    for (const panel of panels) {
      expect({ panel: panel.title, uid: panel.datasource?.uid }).toEqual({ panel: panel.title, uid: '${datasource}' });
      for (const target of panel.targets ?? []) {
        expect({ panel: panel.title, uid: target.datasource?.uid }).toEqual({ panel: panel.title, uid: '${datasource}' });
      }
    }
  });

  test('shows the overview panels', () => {
    const titles = panels.map((panel) => panel.title.toLowerCase()).join('\n');
    for (const topic of ['deployment success rate', 'deployment duration p95', 'rollback rate', 'smoke test pass rate', 'error rate', 'request rate', 'latency p95', 'database pool usage']) {
      expect({ topic, shown: titles.includes(topic) }).toEqual({ topic, shown: true });
    }
  });

  test('every panel query parses', async () => {
    const expressions: Record<string, string> = {};
    panels.forEach((panel, index) => {
      expect(panel.targets?.length).toBeGreaterThan(0);
      (panel.targets ?? []).forEach((target, targetIndex) => {
        expressions[`dashboard:panel_${index}_${targetIndex}`] = resolveGrafanaVariables(target.expr, '5m');
      });
    });

    const result = await checkExpressions(expressions);
    expect(result.output).toContain('SUCCESS');
    expect(result.exitCode).toBe(0);
  });

  test('uses only known metrics', () => {
    for (const panel of panels) {
      for (const target of panel.targets ?? []) {
        const names = listMetricNames(resolveGrafanaVariables(target.expr, '5m'));
        expect(names.length).toBeGreaterThan(0);

        const unknown = names.filter((name) => !knownMetrics.has(name));
        expect({ panel: panel.title, unknown }).toEqual({ panel: panel.title, unknown: [] });
      }
    }
  });
});

describe('canary-promote action.yml', () => {
  test('names every pushed metric', () => {
    const metadata = parse(fs.readFileSync(path.join(actionDirectory('canary-promote'), 'action.yml'), 'utf8')) as { inputs: Record<string, { description: string }> };
    const description = metadata.inputs['pushgateway-url']?.description ?? '';

    for (const name of pushedMetrics) {
      expect({ name, described: description.includes(name) }).toEqual({ name, described: true });
    }
  });
});

describe('metric name extraction', () => {
  test('ignores functions, labels and groupings', () => {
    const expression = 'histogram_quantile(0.95, sum by (version, le) (rate(http_request_duration_seconds_bucket{route=~"/api/.+"}[5m])))';
    expect(listMetricNames(expression)).toEqual(['http_request_duration_seconds_bucket']);
  });

  test('finds both sides of a ratio', () => {
    expect(listMetricNames('sum(db_pool_connections_in_use) / on (instance) group_left sum(db_pool_connections_max) > 0.9')).toEqual([
      'db_pool_connections_in_use',
      'db_pool_connections_max',
    ]);
  });
});

describe('workflows-examples/README.md metrics', () => {
  const readme = fs.readFileSync(path.join(examplesDirectory, 'README.md'), 'utf8');

  test.each([...pushedMetrics, 'http_requests_total', 'http_request_duration_seconds', ...documentedMetrics])('documents %s', (name) => {
    expect(readme).toContain(`\`${name}`);
  });
});
