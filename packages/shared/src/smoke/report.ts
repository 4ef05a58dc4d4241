import * as fs from 'node:fs/promises';
import * as path from 'node:path';

import { redact } from '../secrets.ts';
import type { SmokeReport } from './model.ts';

/** Writes the report as indented JSON, redacted of registered secrets, creating the folder when needed. */
export async function writeJsonReport(report: SmokeReport, file: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, `${redact(JSON.stringify(report, null, 2))}\n`);
}
