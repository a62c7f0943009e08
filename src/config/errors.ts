/** One problem found in a configuration, located as precisely as we can. */
export interface ConfigProblem {
  /** The config file, or the environment variable the value came from. */
  source: string;
  /** YAML path such as `collections[1].permissions.read`, or '' for the whole file. */
  path: string;
  line?: number;
  column?: number;
  message: string;
}

export function formatProblem(p: ConfigProblem): string {
  const where = p.line !== undefined ? `${p.source}:${p.line}:${p.column ?? 1}` : p.source;
  return `${where}: ${p.path ? `${p.path}: ` : ''}${p.message}`;
}

/** A configuration that cannot be used; carries every problem found, not just the first. */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[]) {
    super(`invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
      problems.map((p) => `  - ${formatProblem(p)}`).join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
