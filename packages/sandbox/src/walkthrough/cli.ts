// `npm run demo`: the whole deployment story on this machine, on loopback.
// Starts the sandbox stack, runs the bundled actions through the runner
// harness in the order deploy.yml runs them, prints each step's log and
// where the job summaries and notifications were written, then stops
// everything it started, also on Ctrl-C.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

import { startDemoStack, type DemoStack } from '../stack/stack.ts';
import { writeNotifications } from './notifications.ts';
import { runFaultyRelease, runHealthyRelease, type ScenarioOutcome } from './scenarios.ts';
import { repositoryRoot, type WalkthroughContext } from './steps.ts';

const usage = `Usage: npm run demo [-- --output DIR]

Runs the deployment story with the bundled actions on loopback stand-ins: a
Kubernetes API simulator, the demo service as v1 and v2, a router under load,
Prometheus, a Pushgateway, and Slack and GitHub receivers.

Options:
  --output DIR  where job summaries and notifications are written (default: demo-output)
  --help        print this help`;

/** Runs the demo and resolves with the exit code: 0 when both scenarios ended as expected. */
export async function runDemo(args: string[], print: (line: string) => void = console.log): Promise<number> {
  const { values } = parseArgs({ args, options: { output: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) {
    print(usage);
    return 0;
  }

  const outputDirectory = path.resolve(values.output ?? path.join(repositoryRoot, 'demo-output'));
  fs.rmSync(outputDirectory, { recursive: true, force: true });
  fs.mkdirSync(outputDirectory, { recursive: true });
  const started = Date.now();

  print('Starting the sandbox (all on 127.0.0.1)');
  const stack = await startDemoStack({ log: (line) => print(`  ${line}`) });
  const stopOnSignal = (): void => {
    print('\nInterrupted: stopping the sandbox');
    void stack.stop().then(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);

  try {
    const context: WalkthroughContext = { outputDirectory, print, stepNumber: 0 };
    const outcomes = [await runFaultyRelease(stack, context), await runHealthyRelease(stack, context)];
    printConclusion(stack, outcomes, outputDirectory, started, print);
    return expectedEndings(outcomes) ? 0 : 1;
  } finally {
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
    await stack.stop();
  }
}

function printConclusion(stack: DemoStack, outcomes: readonly ScenarioOutcome[], outputDirectory: string, started: number, print: (line: string) => void): void {
  const notifications = writeNotifications(stack.receivers, process.env['GITHUB_REPOSITORY'] ?? 'atom-org/atom', outputDirectory);
  fs.writeFileSync(path.join(outputDirectory, 'outcomes.json'), `${JSON.stringify(outcomes, null, 2)}\n`);

  print('');
  print(`═══ Done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  for (const outcome of outcomes) for (const conclusion of outcome.conclusions) print(`  ${outcome.name}: ${conclusion}`);
  print(`  Job summaries (Markdown, as GitHub shows them): ${path.join(outputDirectory, 'summaries')}`);
  print(`  Notifications received by the Slack and GitHub stand-ins: ${notifications}`);
}

/** Whether the story ended as it should: the faulty canary aborted and the healthy one promoted. */
export function expectedEndings(outcomes: readonly ScenarioOutcome[]): boolean {
  const decisionOf = (outcome: ScenarioOutcome | undefined, title: string): string | undefined => outcome?.steps.find((step) => step.title === title)?.outputs['decision'];
  const faultyDecision = decisionOf(outcomes[0], 'Canary advance in production') ?? decisionOf(outcomes[0], 'Canary start in production');
  return faultyDecision === 'aborted' && decisionOf(outcomes[1], 'Canary run in production') === 'promoted';
}

if (import.meta.main) {
  process.exitCode = await runDemo(process.argv.slice(2));
}
