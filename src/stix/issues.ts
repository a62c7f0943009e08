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

/** Several problems of one object on one line, each prefixed with its rule id. */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((issue) => `[${issue.rule}] ${issue.message}`).join('; ');
}

/** Collects the errors and warnings of one validation run. */
export class IssueCollector {
  readonly errors: ValidationIssue[] = [];
  readonly warnings: ValidationIssue[] = [];

  error(rule: string, path: string, message: string): void {
    this.errors.push({ rule, path, message });
  }

  warning(rule: string, path: string, message: string): void {
    this.warnings.push({ rule, path, message });
  }
}
