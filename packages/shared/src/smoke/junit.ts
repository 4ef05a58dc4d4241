import { redact } from '../secrets.ts';
import type { CheckResult, SmokeReport } from './model.ts';

/**
 * Renders a report as JUnit XML, the format test reporters read: one
 * `<testsuite>` named after the base URL, one `<testcase>` per check with its
 * duration in seconds, `<failure>` for a failed check and `<skipped>` for a
 * skipped one. A P95 over budget becomes an extra failed test case. The
 * text is redacted of registered secrets.
 */
export function renderJunitReport(report: SmokeReport, suiteName = 'smoke-test'): string {
  const cases = report.checks.map((check) => renderCase(check, suiteName));
  let failures = report.failed;
  if (report.budgetFailure) {
    failures++;
    cases.push(
      `    <testcase classname="${escapeXml(suiteName)}" name="P95 latency budget" time="0">\n` +
        `      <failure type="latency" message="${escapeXml(report.budgetFailure)}"></failure>\n    </testcase>`,
    );
  }

  const tests = cases.length;
  const attributes = `name="${escapeXml(suiteName)}" tests="${tests}" failures="${failures}" errors="0" skipped="${report.skipped}" time="${seconds(report.durationMs)}" timestamp="${report.startedAt}"`;
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attributes}>`,
    `  <testsuite ${attributes} hostname="${escapeXml(report.baseUrl)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
  return redact(xml);
}

function renderCase(check: CheckResult, suiteName: string): string {
  const open = `    <testcase classname="${escapeXml(suiteName)}" name="${escapeXml(check.name)}" time="${seconds(check.durationMs)}">`;
  if (check.outcome === 'passed') return `${open}</testcase>`;
  if (check.outcome === 'skipped') return `${open}\n      <skipped message="${escapeXml(check.reason ?? '')}"/>\n    </testcase>`;

  const details = [`${check.method} ${check.url}`, `attempts: ${check.attempts}`, check.status !== undefined ? `status: ${check.status}` : '', check.bodyExcerpt ? `body: ${check.bodyExcerpt}` : '']
    .filter(Boolean)
    .join('\n');
  return `${open}\n      <failure type="${check.failureKind ?? 'other'}" message="${escapeXml(check.reason ?? '')}">${escapeXml(details)}</failure>\n    </testcase>`;
}

function seconds(milliseconds: number): string {
  return (milliseconds / 1000).toFixed(3);
}

/** Escapes text for XML attributes and content, dropping characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
