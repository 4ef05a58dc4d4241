import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Receivers } from '../receivers/receivers.ts';

/** Writes what the receivers got to `<folder>/notifications/`: one JSON file per service, and the repository's GitHub issues. Returns the folder. */
export function writeNotifications(receivers: Receivers, repository: string, outputDirectory: string): string {
  const folder = path.join(outputDirectory, 'notifications');
  fs.mkdirSync(folder, { recursive: true });

  for (const [service, records] of Object.entries(receivers.received)) {
    if (records.length === 0) continue;
    const requests = records.map((record) => ({ method: record.method, url: record.url, status: record.status, body: record.json ?? record.body }));
    fs.writeFileSync(path.join(folder, `${service}.json`), `${JSON.stringify(requests, null, 2)}\n`);
  }
  const [owner = '', repo = ''] = repository.split('/');
  const issues = receivers.state.github.issues(owner, repo).map((issue) => ({ ...issue, comments: receivers.state.github.comments(owner, repo, issue.number) }));
  fs.writeFileSync(path.join(folder, 'github-issues.json'), `${JSON.stringify(issues, null, 2)}\n`);
  return folder;
}
