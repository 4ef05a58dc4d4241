import { ReportError } from '../report/errors.ts';
import { readJsonObject } from '../report/json.ts';
import { appendCapped } from '../report/limits.ts';
import type { Finding, FindingLevel } from './model.ts';

interface SarifRule {
  id?: string;
  defaultConfiguration?: { level?: string };
}

interface SarifResult {
  ruleId?: string;
  ruleIndex?: number;
  rule?: { id?: string; index?: number };
  level?: string;
  kind?: string;
  message?: { text?: string; markdown?: string };
  locations?: { physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number } } }[];
  suppressions?: unknown[];
  baselineState?: string;
}

interface SarifRun {
  tool?: { driver?: { name?: string; rules?: SarifRule[] } };
  results?: SarifResult[];
}

/**
 * Parses a SARIF 2.1.0 log (bandit, ruff, CodeQL, ESLint and other tools).
 * A result's level is its own `level`, else its rule's default level, else
 * `warning`, as SARIF 2.1.0 section 3.27.10 defines. Results of a `kind`
 * other than `fail`, results with suppressions and results whose
 * `baselineState` is `absent` are not findings.
 */
export async function parseSarif(file: string): Promise<Finding[]> {
  const log = await readJsonObject(file);
  if (log['version'] !== '2.1.0') throw new ReportError(file, `SARIF version ${JSON.stringify(log['version'])} is not supported; expected "2.1.0".`);
  const runs = Array.isArray(log['runs']) ? (log['runs'] as SarifRun[]) : [];

  const findings: Finding[] = [];
  for (const run of runs) {
    const tool = run.tool?.driver?.name ?? 'SARIF';
    const rules = run.tool?.driver?.rules ?? [];
    for (const result of run.results ?? []) {
      if ((result.suppressions?.length ?? 0) > 0 || result.baselineState === 'absent') continue;
      if (result.kind !== undefined && result.kind !== 'fail') continue;

      const rule = findRule(result, rules);
      const level = result.level ?? rule?.defaultConfiguration?.level ?? 'warning';
      if (level !== 'error' && level !== 'warning' && level !== 'note') continue;

      const location = result.locations?.[0]?.physicalLocation;
      findings.push({
        tool,
        rule: result.ruleId ?? result.rule?.id ?? rule?.id ?? '',
        level: level as FindingLevel,
        message: appendCapped('', result.message?.text ?? result.message?.markdown ?? ''),
        file: location?.artifactLocation?.uri?.replace(/^file:\/\//, ''),
        line: location?.region?.startLine,
      });
    }
  }
  return findings;
}

function findRule(result: SarifResult, rules: readonly SarifRule[]): SarifRule | undefined {
  const index = result.ruleIndex ?? result.rule?.index;
  if (index !== undefined && rules[index]) return rules[index];
  const id = result.ruleId ?? result.rule?.id;
  return id === undefined ? undefined : rules.find((rule) => rule.id === id);
}
