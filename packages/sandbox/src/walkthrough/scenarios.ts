import { queryInstant } from '@atom-actions/shared/prometheus/client';

import type { DemoStack } from '../stack/stack.ts';
import { currentRevision, deployRelease } from './deploy.ts';
import { runStep, type StepRecord, type WalkthroughContext } from './steps.ts';

/** The steps a scenario ran and how it ended. */
export interface ScenarioOutcome {
  name: string;
  steps: StepRecord[];
  /** One sentence per environment: what happened to the release. */
  conclusions: string[];
}

/** A faulty v2 release: crash-looping pods, and 20% of its requests fail. */
const faultyV2 = {
  podAnnotations: { 'sim.atom-actions.io/behavior': 'crash-loop', 'sim.atom-actions.io/log': 'INFO starting atom v2\nERROR database migration 0042 failed: column "tenant_id" does not exist' },
  faults: { routes: { '*': { errorRate: 0.2 } } },
};

/**
 * The faulty release, in the order deploy.yml runs it. Staging: deploy v2,
 * smoke test, verify (fails on the crash loop and the error logs), roll back
 * exactly once, verify again, notify. Production: canary start at 10%, an
 * advance whose analysis sees v2's error rate and aborts, notify.
 */
export async function runFaultyRelease(stack: DemoStack, context: WalkthroughContext): Promise<ScenarioOutcome> {
  const steps: StepRecord[] = [];
  const kube = { kubeconfig: stack.sim.kubeconfig };
  context.print('');
  context.print('═══ Scenario 1: a faulty v2 is caught in staging, rolled back, and aborted as a canary in production');

  deployRelease(stack.sim, 'staging', 'atom', { image: 'registry.example/atom:v2', version: 'v2', podAnnotations: faultyV2.podAnnotations, changeCause: 'deploy atom v2' });
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const badRevision = currentRevision(stack.sim, 'staging', 'atom');
  context.print(`Deploy job: rolled registry.example/atom:v2 out to staging (revision ${badRevision}); its pods crash-loop.`);

  steps.push((await runStep(context, { title: 'Smoke test staging', action: 'smoke-test', inputs: smokeInputs(stack.staging.service.url, 'staging') })).record);

  const failedVerify = await runStep(context, { title: 'Verify staging', action: 'verify', inputs: verifyInputs(stack, 'staging', stack.staging.service.url, kube.kubeconfig) });
  steps.push(failedVerify.record);

  const rollback = await runStep(context, {
    title: 'Roll staging back',
    action: 'auto-rollback',
    inputs: { deployments: 'atom', namespace: 'staging', ...kube, 'expected-revision': String(badRevision ?? ''), reason: `verification failed: ${failedVerify.result.outputs['failed-checks'] ?? ''}`, timeout: '2m' },
  });
  steps.push(rollback.record);
  steps.push((await runStep(context, { title: 'Verify staging after rollback', action: 'verify', inputs: verifyInputs(stack, 'staging', stack.staging.service.url, kube.kubeconfig) })).record);
  steps.push((await runStep(context, { title: 'Notify the rollback', action: 'notify', inputs: notifyInputs(stack, 'rollback', 'staging', `verification failed: ${failedVerify.result.outputs['failed-checks'] ?? ''}`) })).record);

  stack.setCanaryFaults(faultyV2.faults);
  // start judges the first step too; as in deploy.yml, the approval job advances only a paused canary.
  let canary = await runStep(context, { title: 'Canary start in production', action: 'canary-promote', inputs: { ...canaryInputs(stack), action: 'start' } });
  steps.push(canary.record);
  if (canary.result.outputs['decision'] === 'paused') {
    canary = await runStep(context, { title: 'Canary advance in production', action: 'canary-promote', inputs: { ...canaryInputs(stack), action: 'advance' } });
    steps.push(canary.record);
  }
  const decision = canary.result.outputs['decision'] ?? '';
  steps.push((await runStep(context, { title: 'Notify the aborted canary', action: 'notify', inputs: notifyInputs(stack, 'canary-aborted', 'production', canary.result.outputs['reason'] ?? 'canary analysis failed') })).record);

  return {
    name: 'faulty v2',
    steps,
    conclusions: [
      `staging: v2 (revision ${rollback.result.outputs['from-revision'] ?? badRevision}) rolled back to the template of revision ${rollback.result.outputs['to-revision'] ?? '?'} (v1), now revision ${currentRevision(stack.sim, 'staging', 'atom') ?? '?'}`,
      `production: canary ${decision || 'not decided'}, traffic on ${JSON.stringify(stack.production.router.weights())}`,
    ],
  };
}

/** Runs the healthy release: the whole canary progression in one job promotes v2, then verify and notify. */
export async function runHealthyRelease(stack: DemoStack, context: WalkthroughContext): Promise<ScenarioOutcome> {
  const steps: StepRecord[] = [];
  context.print('');
  context.print('═══ Scenario 2: a healthy v2 goes 10% → 50% → 100% and is promoted');
  stack.setCanaryFaults({});

  // v2's counters still hold scenario 1's errors: wait until the canary's query window holds only new requests.
  const windowMs = queryIntervalMs + 2 * stack.prometheus.scrapeIntervalMs;
  context.print(`Waiting ${windowMs / 1000} s so that the canary's ${queryIntervalMs / 1000} s query window no longer holds the faulty release's requests.`);
  await new Promise((resolve) => setTimeout(resolve, windowMs));

  const run = await runStep(context, { title: 'Canary run in production', action: 'canary-promote', inputs: { ...canaryInputs(stack), action: 'run' } });
  steps.push(run.record);
  // The Pushgateway now contains two canary decisions, one aborted on purpose in scenario 1: a true
  // success rate of 50%. The runbook's 95% is meant for many deploys, so the demo lowers it here.
  const verifyProduction = { ...verifyInputs(stack, 'production', stack.production.router.url, stack.sim.kubeconfig), 'min-success-rate': '50' };
  // Verify runs a moment after the push here, where a real pipeline takes minutes: wait for Prometheus to scrape it.
  await waitForPromotedCount(stack, 1, 20 * stack.prometheus.scrapeIntervalMs);
  context.print('Note: the deployment success rate threshold is 50% for this step: the demo has made two canary decisions, one aborted on purpose.');
  steps.push((await runStep(context, { title: 'Verify production', action: 'verify', inputs: verifyProduction })).record);
  steps.push((await runStep(context, { title: 'Notify the deploy', action: 'notify', inputs: notifyInputs(stack, 'deploy-succeeded', 'production', 'canary promoted') })).record);

  return { name: 'healthy v2', steps, conclusions: [`production: canary ${run.result.outputs['decision'] ?? 'not decided'}, traffic on ${JSON.stringify(stack.production.router.weights())}`] };
}

function smokeInputs(baseUrl: string, environment: string): Record<string, string> {
  return { 'base-url': baseUrl, preset: 'atom', username: 'demo', password: 'demo-password', environment, 'p95-budget': '2s' };
}

function verifyInputs(stack: DemoStack, namespace: 'staging' | 'production', baseUrl: string, kubeconfig: string): Record<string, string> {
  return {
    'base-url': baseUrl,
    environment: namespace,
    'smoke-preset': 'atom',
    'smoke-username': 'demo',
    'smoke-password': 'demo-password',
    // The sandbox shares two cores among many processes: latency budgets are loosened, errors are not.
    'smoke-p95-budget': '2s',
    'max-p95-latency': '2s',
    'prometheus-url': stack.prometheus.url,
    'metrics-selector': `namespace="${namespace}"`,
    'metrics-window': '30s',
    deployment: 'atom',
    namespace,
    kubeconfig,
    window: '5m',
  };
}

/**
 * Waits until Prometheus has scraped at least `minimum` promoted decisions
 * from the Pushgateway, counted the way verify's default success-rate query
 * counts them, or until the timeout. It returns either way, because the
 * verify step then reports what Prometheus has.
 */
async function waitForPromotedCount(stack: DemoStack, minimum: number, timeoutMs: number): Promise<void> {
  const connection = { url: new URL(stack.prometheus.url), timeoutMs: stack.prometheus.scrapeIntervalMs };
  const deadline = Date.now() + timeoutMs;

  while (Date.now() < deadline) {
    const outcome = await queryInstant(connection, 'sum(deployment_total{status="promoted"})');
    if (outcome.kind === 'value' && outcome.value >= minimum) return;
    await new Promise((resolve) => setTimeout(resolve, stack.prometheus.scrapeIntervalMs));
  }
}

/** Rate window of the canary's queries: long enough for several scrapes, short for a quick demo. */
const queryIntervalMs = 10_000;

function canaryInputs(stack: DemoStack): Record<string, string> {
  return {
    deployment: 'atom',
    namespace: 'production',
    images: 'app=registry.example/atom:v2',
    'traffic-router': 'replicas',
    service: 'atom',
    steps: '10,50,100',
    pause: '8s',
    interval: '2s',
    'query-interval': `${queryIntervalMs / 1000}s`,
    'min-requests': '5',
    'max-latency': '2s',
    'progress-deadline': '60s',
    'prometheus-url': stack.prometheus.url,
    'pushgateway-url': stack.pushgateway.url,
    kubeconfig: stack.sim.kubeconfig,
  };
}

function notifyInputs(stack: DemoStack, event: string, environment: string, reason: string): Record<string, string> {
  return {
    event,
    environment,
    version: 'v2',
    reason,
    'slack-webhook-url': stack.receivers.urls.slack,
    'github-token': 'ghs_demo_token',
    'github-api-url': stack.receivers.urls.github,
    'allow-any-host': 'true',
  };
}
