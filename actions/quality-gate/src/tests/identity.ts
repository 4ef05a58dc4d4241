import type { TestRecord } from './model.ts';

/**
 * Returns the key that identifies a test across records, reruns and report
 * files: its classname and name. A report without classnames (jest-junit's
 * default, some mocha reporters) falls back to the file, then the suite path,
 * so equal titles in different files stay different tests.
 */
export function testIdentity(record: Pick<TestRecord, 'classname' | 'name' | 'file' | 'suite'>): string {
  const scope = record.classname || record.file || record.suite;
  return `${scope}\u0000${record.name}`;
}

/** Returns the name a release manager reads, `classname › name` or the name alone, from an identity key. */
export function nameOfKey(key: string): string {
  if (key.startsWith('\u0001')) return key.slice(1);
  return key.startsWith('\u0000') ? key.slice(1) : key.replace('\u0000', ' › ');
}
