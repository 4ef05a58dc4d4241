// Quality gate on a large JUnit report: the whole action bundle against
// xml2js (the parser of dorny/test-reporter) and xml-js (the parser of
// mikepenz/action-junit-report) parsing the same file, each in its own
// Node process, with peak memory from process.resourceUsage().maxRSS.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { machineDescription, median } from './measure.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const testCases = 100_000;
const repetitions = 3;

/** Writes a JUnit report of `testCases` cases in 100 suites: 1% fail, 2% skipped, each case with captured output. */
function generateReport(file: string): number {
  const output = 'log line of the service under test: request handled in 12 ms, status 200, cache hit\n'.repeat(6);
  const descriptor = fs.openSync(file, 'w');
  fs.writeSync(descriptor, '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="bench">\n');
  for (let suite = 0; suite < 100; suite += 1) {
    const parts = [`  <testsuite name="suite${suite}" tests="1000" time="12.5">\n`];
    for (let index = 0; index < testCases / 100; index += 1) {
      const number = suite * 1000 + index;
      const body =
        number % 100 === 7
          ? `<failure message="expected 200 but was 500">AssertionError: expected 200 but was 500\n    at check (test/api.test.js:${index}:5)</failure>`
          : number % 50 === 3
            ? '<skipped message="not on this platform"/>'
            : '';
      parts.push(`    <testcase classname="com.example.Suite${suite}" name="handles request ${index}" file="test/suite${suite}.test.js" line="${index + 1}" time="0.012">${body}<system-out><![CDATA[${output}]]></system-out></testcase>\n`);
    }
    parts.push('  </testsuite>\n');
    fs.writeSync(descriptor, parts.join(''));
  }
  fs.writeSync(descriptor, '</testsuites>\n');
  fs.closeSync(descriptor);
  return fs.statSync(file).size;
}

interface Measurement {
  seconds: number;
  maxRssMiB: number;
  output: string;
}

/** Runs a Node script with a preload that prints the peak RSS at exit, and returns time, memory and stdout. */
function measureNode(folder: string, args: string[], env: NodeJS.ProcessEnv): Measurement {
  const preload = path.join(folder, 'max-rss.mjs');
  if (!fs.existsSync(preload)) {
    fs.writeFileSync(preload, "process.on('exit', () => process.stderr.write(`MAXRSS_KIB=${process.resourceUsage().maxRSS}\\n`));\n");
  }
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--import', pathToFileURL(preload).href, ...args], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  const rss = Number(/MAXRSS_KIB=(\d+)/.exec(result.stderr)?.[1] ?? Number.NaN);
  return { seconds, maxRssMiB: rss / 1024, output: result.stdout };
}

function parserScript(folder: string, name: string, body: string): string {
  const file = path.join(folder, `${name}.cjs`);
  fs.writeFileSync(file, body);
  return file;
}

/** Measures the quality gate bundle, xml2js and xml-js on the same generated report. */
export default async function benchmarkQualityGate(): Promise<string> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'quality-gate-bench-'));
  try {
    const report = path.join(folder, 'junit.xml');
    const bytes = generateReport(report);
    const modules = path.join(root, 'node_modules');

    const xml2js = parserScript(
      folder,
      'xml2js',
      `const fs = require('fs'); const { parseStringPromise } = require(${JSON.stringify(path.join(modules, 'xml2js'))});
parseStringPromise(fs.readFileSync(process.argv[2], 'utf8')).then((doc) => {
  let cases = 0; for (const suite of doc.testsuites.testsuite) cases += suite.testcase.length; console.log(cases);
});\n`,
    );
    const xmlJs = parserScript(
      folder,
      'xml-js',
      `const fs = require('fs'); const convert = require(${JSON.stringify(path.join(modules, 'xml-js'))});
const doc = convert.xml2js(fs.readFileSync(process.argv[2], 'utf8'), { compact: true });
let cases = 0; for (const suite of doc.testsuites.testsuite) cases += suite.testcase.length; console.log(cases);\n`,
    );

    const actionEnv = (): NodeJS.ProcessEnv => {
      const output = path.join(folder, 'output');
      fs.writeFileSync(output, '');
      fs.writeFileSync(path.join(folder, 'summary.md'), '');
      return {
        PATH: process.env['PATH'],
        HOME: process.env['HOME'],
        GITHUB_WORKSPACE: folder,
        GITHUB_OUTPUT: output,
        GITHUB_STEP_SUMMARY: path.join(folder, 'summary.md'),
        'INPUT_TEST-REPORTS': report,
        'INPUT_PASS-RATE-THRESHOLD': '90',
      };
    };

    const runs: Record<string, Measurement[]> = { action: [], xml2js: [], 'xml-js': [] };
    for (let run = 0; run < repetitions; run += 1) {
      runs['action']?.push(measureNode(folder, [path.join(root, 'actions/quality-gate/dist/main.js')], actionEnv()));
      runs['xml2js']?.push(measureNode(folder, [xml2js, report], process.env));
      runs['xml-js']?.push(measureNode(folder, [xmlJs, report], process.env));
    }

    const totalLine = fs.readFileSync(path.join(folder, 'output'), 'utf8').match(/total<<[^\n]+\n(\d+)/)?.[1] ?? 'unknown';
    const row = (name: string, label: string): { seconds: number; rss: number; line: string } => {
      const measured = runs[name] ?? [];
      const seconds = median(measured.map((entry) => entry.seconds));
      const rss = Math.max(...measured.map((entry) => entry.maxRssMiB));
      return { seconds, rss, line: `| ${label} | ${seconds.toFixed(2)} | ${rss.toFixed(0)} |` };
    };
    const action = row('action', 'quality-gate bundle (whole action: start, parse, gates, summary)');
    const baseline = row('xml2js', 'xml2js 0.6 `parseStringPromise` (parse only)');
    const xmlJsRow = row('xml-js', 'xml-js 1.6 `xml2js` compact (parse only)');
    const ratio = action.seconds / baseline.seconds;

    return [
      '## Quality gate on a large JUnit report',
      '',
      `A generated JUnit report of ${testCases.toLocaleString('en')} test cases (${(bytes / 2 ** 20).toFixed(0)} MiB: 100 suites, 1% failures, 2% skipped,`,
      'about 500 bytes of captured output per case). Each tool runs in its own Node process; the time is the median wall',
      `time of ${repetitions} interleaved runs, and memory is the largest peak RSS (\`process.resourceUsage().maxRSS\`, read by a preload at exit).`,
      'The parsers only build their document and count the cases; the action also groups tests, evaluates the gates and writes the summary.',
      `The action counted ${totalLine} unique tests.`,
      `Machine: ${machineDescription()}.`,
      '',
      '| tool | time (s) | peak RSS (MiB) |',
      '| --- | --- | --- |',
      action.line,
      baseline.line,
      xmlJsRow.line,
      '',
      `Targets: the action in at most a third of xml2js's time (measured ${ratio.toFixed(2)}x: ${ratio <= 1 / 3 ? 'met' : 'missed'}) and under 150 MiB peak RSS (${action.rss < 150 ? 'met' : 'missed'}).`,
    ].join('\n');
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
