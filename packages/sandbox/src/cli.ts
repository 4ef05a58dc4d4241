import { demoUsage, runDemoCommand } from './demo/cli.ts';
import { kubeUsage, runKubeCommand } from './kube/command.ts';
import { receiversUsage, runReceiversCommand } from './receivers/cli.ts';
import { routerUsage, runRouterCommand } from './router/cli.ts';
import { runRunCommand, runUsage } from './runner/cli.ts';
import { UsageError } from './usage-error.ts';

/** A subcommand of `npm run sandbox`. */
interface Subcommand {
  /** One line for the overview in `--help`. */
  summary: string;
  /** Its help text, printed for `<name> --help`. */
  usage: string;
  /** Runs the subcommand with the arguments after its name; resolves with the exit code. */
  run: (args: string[]) => Promise<number>;
}

/** The subcommands; adding one is one line here. */
const subcommands: Record<string, Subcommand> = {
  run: { summary: 'run an action bundle the way GitHub\'s runner does, with inputs from the command line', usage: runUsage, run: runRunCommand },
  kube: { summary: 'run the Kubernetes API simulator (HTTPS on 127.0.0.1)', usage: kubeUsage, run: runKubeCommand },
  demo: { summary: 'run the demo service with chosen faults (HTTP on 127.0.0.1)', usage: demoUsage, run: runDemoCommand },
  receivers: { summary: 'run the notification receivers: GitHub, Slack, PagerDuty, Teams, webhook (HTTP on 127.0.0.1)', usage: receiversUsage, run: runReceiversCommand },
  router: { summary: 'run the weight-following proxy in front of stable and canary (HTTP on 127.0.0.1)', usage: routerUsage, run: runRouterCommand },
};

function overview(): string {
  const width = Math.max(...Object.keys(subcommands).map((name) => name.length));
  const lines = Object.entries(subcommands).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`);
  return ['Usage: npm run sandbox -- <command> [options]', '', 'Local stand-ins for trying atom-actions workflows.', '', 'Commands:', ...lines, '', 'Run `npm run sandbox -- <command> --help` for the options of a command.'].join('\n');
}

/** Runs the CLI with the given arguments and resolves with the exit code: 0 on success, 2 for a usage error. */
export async function main(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(overview());
    return name === undefined ? 2 : 0;
  }

  const command = subcommands[name];
  if (!command) {
    console.error(`error: unknown command ${JSON.stringify(name)}; run \`npm run sandbox -- --help\` for the list`);
    return 2;
  }
  if (rest[0] === '--help' || rest[0] === '-h') {
    console.log(command.usage);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
