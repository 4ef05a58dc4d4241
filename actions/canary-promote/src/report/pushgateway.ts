import { errorMessage } from '@atom-actions/shared/errors';
import { sendRequest } from '@atom-actions/shared/http';
import { redactUrl } from '@atom-actions/shared/secrets';

/** Pushes the rollout's metrics to a Pushgateway; failures are logged as warnings and never fail the run. */
export interface MetricsPusher {
  pushWeight(weight: number): Promise<void>;
  /** Pushes the final decision: deployment_total{status} and deployment_rollback_total grow by one. */
  pushResult(status: string, rolledBack: boolean, durationSeconds: number): Promise<void>;
}

/** Pushgateway address and the grouping labels of every pushed series. */
export interface PushTarget {
  url: URL;
  job: string;
  namespace: string;
  deployment: string;
}

/**
 * Creates a pusher for the group `/metrics/job/<job>/namespace/<namespace>/deployment/<deployment>`.
 * Counters are read back from the Pushgateway and pushed one higher, because
 * a push replaces values rather than adding to them. NOTE: two runs that
 * finish at the same moment can each push the same count.
 */
export function createPusher(target: PushTarget, warn: (line: string) => void): MetricsPusher {
  const group = `metrics/job/${encodeURIComponent(target.job)}/namespace/${encodeURIComponent(target.namespace)}/deployment/${encodeURIComponent(target.deployment)}`;
  const groupUrl = new URL(group, target.url.href.endsWith('/') ? target.url : new URL(`${target.url.href}/`));

  const push = async (body: string): Promise<void> => {
    try {
      const response = await sendRequest({ url: groupUrl, method: 'POST', headers: { 'content-type': 'text/plain; version=0.0.4' }, body, attempts: 2, idempotent: true, timeoutMs: 5000 });
      if (response.status >= 300) warn(`Pushgateway ${redactUrl(groupUrl)} rejected the push with HTTP ${response.status}: ${response.body.slice(0, 200)}`);
    } catch (error) {
      warn(`Pushing metrics to ${redactUrl(groupUrl)} failed: ${errorMessage(error)}`);
    }
  };

  return {
    pushWeight: (weight) => push(gauge('canary_traffic_percentage', 'Share of traffic sent to the canary, in percent.', weight)),
    async pushResult(status, rolledBack, durationSeconds) {
      const current = await readPushed(target, warn);
      const statusKey = `deployment_total{status="${status}"}`;
      const lines = [
        '# HELP deployment_total Canary rollouts finished, by decision.',
        '# TYPE deployment_total counter',
        ...[...current.entries()]
          .filter(([key]) => key.startsWith('deployment_total{') && key !== statusKey)
          .map(([key, value]) => `${key} ${value}`),
        `${statusKey} ${(current.get(statusKey) ?? 0) + 1}`,
        '# HELP deployment_rollback_total Canary rollouts that ended with traffic restored to stable.',
        '# TYPE deployment_rollback_total counter',
        `deployment_rollback_total ${(current.get('deployment_rollback_total') ?? 0) + (rolledBack ? 1 : 0)}`,
        '# HELP deployment_duration_seconds Duration of the last canary job.',
        '# TYPE deployment_duration_seconds gauge',
        `deployment_duration_seconds ${durationSeconds.toFixed(3)}`,
      ];
      await push(`${lines.join('\n')}\n`);
    },
  };
}

function gauge(name: string, help: string, value: number): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name} ${value}\n`;
}

/**
 * Reads the counters of this group from the Pushgateway's `/metrics`, keyed
 * by name and the status label only, such as `deployment_total{status="promoted"}`.
 */
async function readPushed(target: PushTarget, warn: (line: string) => void): Promise<Map<string, number>> {
  const values = new Map<string, number>();
  try {
    const response = await sendRequest({ url: new URL('metrics', target.url.href.endsWith('/') ? target.url : `${target.url.href}/`), attempts: 2, timeoutMs: 5000 });
    for (const line of response.body.split('\n')) {
      const match = /^(deployment_total|deployment_rollback_total)(?:\{([^}]*)\})?\s+(\S+)$/.exec(line);
      if (!match) continue;
      const labels = parseLabels(match[2] ?? '');
      if (labels['job'] !== target.job || labels['namespace'] !== target.namespace || labels['deployment'] !== target.deployment) continue;
      const key = match[1] === 'deployment_total' ? `deployment_total{status="${labels['status'] ?? ''}"}` : 'deployment_rollback_total';
      values.set(key, Number(match[3]));
    }
  } catch (error) {
    warn(`Reading the pushed counters failed, so they restart from 0: ${errorMessage(error)}`);
  }
  return values;
}

function parseLabels(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((match) => [match[1]!, match[2]!]));
}
