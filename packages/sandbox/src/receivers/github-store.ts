/** A label as GitHub's REST API returns it. */
export interface StoredLabel {
  id: number;
  node_id: string;
  url: string;
  name: string;
  color: string;
  description: string | null;
  default: boolean;
}

/** A comment as GitHub's REST API returns it. */
export interface StoredComment {
  id: number;
  node_id: string;
  url: string;
  html_url: string;
  issue_url: string;
  body: string;
  user: { login: string; id: number; type: string };
  created_at: string;
  updated_at: string;
}

/** An issue as GitHub's REST API returns it, reduced to the fields clients commonly read. */
export interface StoredIssue {
  id: number;
  node_id: string;
  url: string;
  html_url: string;
  comments_url: string;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: StoredLabel[];
  user: { login: string; id: number; type: string };
  comments: number;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  locked: boolean;
  assignees: never[];
}

interface Repository {
  issues: StoredIssue[];
  labels: Map<string, StoredLabel>;
  comments: Map<number, StoredComment[]>;
}

const bot = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };

/** Issues, labels and comments of every repository the GitHub receiver has seen. */
export class GitHubStore {
  private readonly repositories = new Map<string, Repository>();
  private nextId = 1000;
  private readonly baseUrl: () => string;

  constructor(baseUrl: () => string) {
    this.baseUrl = baseUrl;
  }

  /** Returns the repository's data, creating it empty on first use. */
  repository(owner: string, repo: string): Repository {
    const key = `${owner}/${repo}`.toLowerCase();
    let repository = this.repositories.get(key);
    if (!repository) {
      repository = { issues: [], labels: new Map(), comments: new Map() };
      this.repositories.set(key, repository);
    }
    return repository;
  }

  /** Lists the issues of a repository (all states), oldest first. */
  issues(owner: string, repo: string): StoredIssue[] {
    return this.repository(owner, repo).issues;
  }

  /** Lists the comments of an issue, oldest first. */
  comments(owner: string, repo: string, issueNumber: number): StoredComment[] {
    return this.repository(owner, repo).comments.get(issueNumber) ?? [];
  }

  /** Lists the labels of a repository. */
  labels(owner: string, repo: string): StoredLabel[] {
    return [...this.repository(owner, repo).labels.values()];
  }

  /** Finds a label by name, case-insensitively as GitHub does. */
  findLabel(owner: string, repo: string, name: string): StoredLabel | undefined {
    return this.repository(owner, repo).labels.get(name.toLowerCase());
  }

  /** Creates a label. */
  createLabel(owner: string, repo: string, name: string, color: string, description: string | null): StoredLabel {
    const id = this.nextId++;
    const label: StoredLabel = {
      id,
      node_id: `LA_${id}`,
      url: `${this.baseUrl()}/repos/${owner}/${repo}/labels/${encodeURIComponent(name)}`,
      name,
      color,
      description,
      default: false,
    };
    this.repository(owner, repo).labels.set(name.toLowerCase(), label);
    return label;
  }

  /** Returns the labels of the given names, creating missing ones as GitHub does for users with push access. */
  resolveLabels(owner: string, repo: string, names: readonly string[]): StoredLabel[] {
    return names.map((name) => this.findLabel(owner, repo, name) ?? this.createLabel(owner, repo, name, 'ededed', null));
  }

  /** Creates an issue with the next number. */
  createIssue(owner: string, repo: string, fields: { title: string; body: string | null; labels: readonly string[] }): StoredIssue {
    const repository = this.repository(owner, repo);
    const number = repository.issues.length + 1;
    const id = this.nextId++;
    const now = new Date().toISOString();
    const issue: StoredIssue = {
      id,
      node_id: `I_${id}`,
      url: `${this.baseUrl()}/repos/${owner}/${repo}/issues/${number}`,
      html_url: `https://github.com/${owner}/${repo}/issues/${number}`,
      comments_url: `${this.baseUrl()}/repos/${owner}/${repo}/issues/${number}/comments`,
      number,
      title: fields.title,
      body: fields.body,
      state: 'open',
      state_reason: null,
      labels: this.resolveLabels(owner, repo, fields.labels),
      user: bot,
      comments: 0,
      created_at: now,
      updated_at: now,
      closed_at: null,
      locked: false,
      assignees: [],
    };
    repository.issues.push(issue);
    return issue;
  }

  /** Adds a comment to an issue. */
  addComment(owner: string, repo: string, issue: StoredIssue, body: string): StoredComment {
    const id = this.nextId++;
    const now = new Date().toISOString();
    const comment: StoredComment = {
      id,
      node_id: `IC_${id}`,
      url: `${this.baseUrl()}/repos/${owner}/${repo}/issues/comments/${id}`,
      html_url: `${issue.html_url}#issuecomment-${id}`,
      issue_url: issue.url,
      body,
      user: bot,
      created_at: now,
      updated_at: now,
    };
    const comments = this.repository(owner, repo).comments;
    comments.set(issue.number, [...(comments.get(issue.number) ?? []), comment]);
    issue.comments += 1;
    issue.updated_at = now;
    return comment;
  }
}
