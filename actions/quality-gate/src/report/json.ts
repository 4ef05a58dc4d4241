import * as fs from 'node:fs/promises';

import { ReportError } from './errors.ts';

/** Reads a JSON file whose top level must be an object; throws ReportError otherwise. */
export async function readJsonObject(file: string): Promise<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    throw new ReportError(file, `not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ReportError(file, 'expected a JSON object at the top level.');
  return parsed as Record<string, unknown>;
}
