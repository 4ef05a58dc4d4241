import { ReportError } from '../report/errors.ts';
import { readJsonObject } from '../report/json.ts';
import { appendCapped } from '../report/limits.ts';
import type { Outcome, RecordSink, TestReportSummary } from './model.ts';

interface JsonStage {
  outcome?: string;
  crash?: { path?: string; lineno?: number; message?: string };
  longrepr?: string;
}

interface JsonTest {
  nodeid?: string;
  lineno?: number;
  outcome?: string;
  setup?: JsonStage;
  call?: JsonStage;
  teardown?: JsonStage;
}

/**
 * Parses a pytest-json-report file (`pytest --json-report`) and sends one
 * record per test. The plugin keeps one entry per node id, whose `outcome`
 * is the last stage outcome other than `passed`. With pytest-rerunfailures,
 * a test that failed and then passed on a rerun therefore keeps the outcome
 * `rerun`, which becomes a failed attempt followed by a passed one (flaky).
 * A strict XPASS is already `failed` there. Test identity matches pytest's
 * JUnit report: the node id's path as a dotted module plus classes is the
 * classname.
 *
 * NOTE: the file is read whole with JSON.parse, unlike JUnit XML, because
 * these reports rarely reach the sizes of JUnit files with captured output.
 */
export async function parsePytestJson(file: string, sink: RecordSink): Promise<TestReportSummary> {
  const report = await readJsonObject(file);
  const tests = report['tests'];
  if (!Array.isArray(tests)) throw new ReportError(file, 'the pytest-json-report file has no "tests" list; run pytest without --json-report-summary.');

  for (const entry of tests as JsonTest[]) {
    const { classname, name, path } = splitNodeId(entry.nodeid ?? '');
    const { outcome, priorAttempts } = mapOutcome(entry.outcome ?? 'passed');
    const failingStage = [entry.setup, entry.call, entry.teardown].find((stage) => stage?.outcome === 'failed');
    sink({
      classname,
      name,
      suite: 'pytest',
      file: path || undefined,
      line: typeof entry.lineno === 'number' ? entry.lineno + 1 : undefined,
      outcome,
      message: outcome === 'failed' || outcome === 'errored' ? appendCapped('', failingStage?.crash?.message ?? failingStage?.longrepr ?? '') : '',
      priorAttempts,
      source: file,
    });
  }

  const duration = report['duration'];
  return { seconds: typeof duration === 'number' ? duration : undefined, records: tests.length };
}

/** Maps a pytest-json-report outcome to the final outcome and the earlier attempts it implies. */
function mapOutcome(outcome: string): { outcome: Outcome; priorAttempts: Outcome[] } {
  switch (outcome) {
    case 'rerun':
      return { outcome: 'passed', priorAttempts: ['failed'] };
    case 'failed':
      return { outcome: 'failed', priorAttempts: [] };
    case 'error':
      return { outcome: 'errored', priorAttempts: [] };
    case 'skipped':
      return { outcome: 'skipped', priorAttempts: [] };
    case 'xfailed':
      return { outcome: 'xfailed', priorAttempts: [] };
    default:
      // passed, and a non-strict xpassed, which pytest also counts as a success.
      return { outcome: 'passed', priorAttempts: [] };
  }
}

/** Splits `tests/test_a.py::TestX::test_y[1]` into pytest's JUnit classname `tests.test_a.TestX` and name `test_y[1]`. */
export function splitNodeId(nodeId: string): { classname: string; name: string; path: string } {
  const bracket = nodeId.indexOf('[');
  const address = bracket === -1 ? nodeId : nodeId.slice(0, bracket);
  const parameters = bracket === -1 ? '' : nodeId.slice(bracket);
  const parts = address.split('::');
  const path = parts[0] ?? '';
  const name = (parts.length > 1 ? (parts[parts.length - 1] ?? '') : path) + parameters;
  const module = path.replace(/[\\/]/g, '.').replace(/\.py$/, '');
  const classes = parts.slice(1, -1);
  return { classname: [module, ...classes].filter(Boolean).join('.'), name, path };
}
