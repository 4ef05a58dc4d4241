/** The rollback and notification done after a failed checklist. */
export interface RemediationOutcome {
  rollback: { status: 'rolled-back' | 'skipped' | 'failed'; message: string; fromRevision?: number; toRevision?: number };
  notification?: { status: 'sent' | 'failed'; message: string; results?: unknown };
}
