import * as fs from 'node:fs/promises';

/** Every report format the action reads, detected from a file's content. */
export type ReportFormat = 'junit' | 'pytest-json' | 'cobertura' | 'lcov' | 'coverage-py' | 'istanbul-summary' | 'sarif' | 'bandit' | 'mypy';

/** The input a format belongs to. */
export type ReportKind = 'test' | 'coverage' | 'static-analysis';

/** The kind of each format. */
export const formatKinds: Record<ReportFormat, ReportKind> = {
  junit: 'test',
  'pytest-json': 'test',
  cobertura: 'coverage',
  lcov: 'coverage',
  'coverage-py': 'coverage',
  'istanbul-summary': 'coverage',
  sarif: 'static-analysis',
  bandit: 'static-analysis',
  mypy: 'static-analysis',
};

/** Bytes read from the start of a file to detect its format. */
const headLength = 16 * 1024;

/**
 * Detects a report's format from the start of its content, never from its
 * name. Returns a description of what the file looks like when the format
 * is none of the supported ones.
 */
export async function detectFormat(file: string): Promise<{ format: ReportFormat } | { unknown: string }> {
  const head = await readHead(file);
  const text = head.replace(/^\uFEFF/, '').trimStart();

  if (text.startsWith('<')) return detectXml(text);
  if (text.startsWith('{')) return detectJson(text);
  if (/^(TN|SF):/m.test(text.slice(0, 4096)) && /^SF:/m.test(text)) return { format: 'lcov' };
  if (text === '') return { unknown: 'an empty file' };
  return { unknown: 'neither XML, JSON nor LCOV' };
}

async function readHead(file: string): Promise<string> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(headLength);
    const { bytesRead } = await handle.read(buffer, 0, headLength, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** Finds the root element's name after the XML declaration, comments, processing instructions and a DOCTYPE. */
function detectXml(text: string): { format: ReportFormat } | { unknown: string } {
  const withoutProlog = text
    .replace(/<\?[\s\S]*?\?>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<!DOCTYPE[^[>]*(\[[\s\S]*?\])?\s*>/i, '');
  const root = /<([A-Za-z_][\w.:-]*)/.exec(withoutProlog)?.[1];
  if (root === 'testsuites' || root === 'testsuite') return { format: 'junit' };
  if (root === 'coverage') return { format: 'cobertura' };
  return { unknown: root ? `XML with the root element <${root}>` : 'XML without a root element in its first 16 KiB' };
}

/**
 * Tells JSON formats apart by keys near the start of the document, because a
 * large file cannot be parsed from its first bytes. A file whose first line
 * is a complete object with mypy's fields is mypy's JSON-lines output.
 */
function detectJson(text: string): { format: ReportFormat } | { unknown: string } {
  const firstLine = text.split('\n', 1)[0] ?? '';
  if (isMypyLine(firstLine)) return { format: 'mypy' };

  if (/"\$schema"\s*:\s*"[^"]*sarif/i.test(text) || (/"version"\s*:\s*"2\.1\.0"/.test(text) && /"runs"\s*:/.test(text))) return { format: 'sarif' };
  if (/"generated_at"\s*:/.test(text) && /"results"\s*:|"metrics"\s*:|"errors"\s*:/.test(text)) return { format: 'bandit' };
  if (/"meta"\s*:\s*\{[^}]*"(branch_coverage|show_contexts)"/.test(text)) return { format: 'coverage-py' };
  if (/^\{\s*"total"\s*:\s*\{\s*"(lines|statements|functions|branches)"\s*:/.test(text)) return { format: 'istanbul-summary' };
  if (/"exitcode"\s*:/.test(text) && /"(root|created)"\s*:/.test(text)) return { format: 'pytest-json' };
  return { unknown: 'JSON of an unsupported format' };
}

function isMypyLine(line: string): boolean {
  try {
    const parsed: unknown = JSON.parse(line);
    if (parsed === null || typeof parsed !== 'object') return false;
    const keys = Object.keys(parsed);
    return ['file', 'line', 'severity', 'message'].every((key) => keys.includes(key));
  } catch {
    return false;
  }
}
