/**
 * Validation issues: one problem of one object, with the rule that found it, where (a JSON pointer) and
 * a message a vendor can act on. Helpers here keep every message in the same shape.
 */

export interface ValidationIssue {
  rule: string;
  /** JSON pointer (RFC 6901) into the object; '' for the object itself. */
  path: string;
  /** Full human text naming the path and the offending value. */
  message: string;
}

/** Escapes one reference token of a JSON pointer (RFC 6901 section 3). */
export function escapePointerToken(token: string | number): string {
  const text = String(token);
  return text.includes('~') || text.includes('/') ? text.replace(/~/g, '~0').replace(/\//g, '~1') : text;
}

export function childPointer(parent: string, token: string | number): string {
  return `${parent}/${escapePointerToken(token)}`;
}

/** How a path is shown inside a message: the root is "the object". */
export function showPath(path: string): string {
  return path === '' ? 'the object' : path;
}

const MAX_VALUE_CHARS = 80;

/** A short, JSON-like rendering of an offending value for messages. */
export function showValue(value: unknown): string {
  let text: string;
  if (value === undefined) text = 'undefined';
  else if (typeof value === 'string') text = JSON.stringify(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/**
 * Problems found but not listed: a count, or `'more'` when long lists were shortened before they
 * were checked (so the number is unknown).
 */
export type Unlisted = number | 'more';

/**
 * Several problems of one object on one line, each prefixed with its rule id, then how many more
 * were found but not listed.
 */
export function formatIssues(issues: readonly ValidationIssue[], unlisted: Unlisted = 0): string {
  const listed = issues.map((issue) => `[${issue.rule}] ${issue.message.length > MAX_MESSAGE_CHARS ? `${issue.message.slice(0, MAX_MESSAGE_CHARS - 1)}…` : issue.message}`);
  if (unlisted === 'more') listed.push('and possibly more problems (for this message only the first 20 items of long lists were checked)');
  else if (unlisted > 0) listed.push(`and ${unlisted} more problem${unlisted === 1 ? '' : 's'}`);
  return listed.join('; ');
}

/** Longest single problem in a formatted line (a path may hold a long dictionary key). */
const MAX_MESSAGE_CHARS = 400;

/** How many errors (and warnings) one object's result lists; the rest are only counted. */
export const MAX_LISTED_ISSUES = 10;

/**
 * Collects the errors and warnings of one validation run, listing at most `limit` of each and
 * counting the rest, so a deeply broken object costs a bounded status entry.
 */
export class IssueCollector {
  readonly errors: ValidationIssue[] = [];
  readonly warnings: ValidationIssue[] = [];
  unlistedErrors: Unlisted = 0;
  unlistedWarnings = 0;

  constructor(private readonly limit: number = MAX_LISTED_ISSUES) {}

  /** True once no further error would be listed (callers may skip building messages). */
  get errorsFull(): boolean {
    return this.errors.length >= this.limit;
  }

  error(rule: string, path: string, message: string): void {
    this.addError({ rule, path, message });
  }

  addError(issue: ValidationIssue): void {
    if (this.errors.length < this.limit) this.errors.push(issue);
    else this.countUnlistedErrors(1);
  }

  countUnlistedErrors(count: number | 'more'): void {
    if (this.unlistedErrors === 'more' || count === 'more') this.unlistedErrors = 'more';
    else this.unlistedErrors += count;
  }

  warning(rule: string, path: string, message: string): void {
    if (this.warnings.length < this.limit) this.warnings.push({ rule, path, message });
    else this.unlistedWarnings++;
  }
}
