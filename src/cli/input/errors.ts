/** Why an input file could not be read to its end (the objects before the problem were read). */
export class MalformedInput extends Error {
  constructor(
    readonly file: string,
    /** Where the problem is, as precisely as it is known (empty when it is about the whole file). */
    readonly where: { byte?: number; line?: number; column?: number },
    readonly detail: string,
  ) {
    super(`${file}: ${describeWhere(where)}${detail}`);
    this.name = 'MalformedInput';
  }
}

function describeWhere(where: MalformedInput['where']): string {
  const parts: string[] = [];
  if (where.line !== undefined) parts.push(where.column !== undefined ? `line ${where.line}, column ${where.column}` : `line ${where.line}`);
  if (where.byte !== undefined) parts.push(`byte ${where.byte}`);
  return parts.length > 0 ? `${parts.join(', ')}: ` : '';
}

/** A file that cannot be opened or read at all: a usage problem, found before anything is imported. */
export class UnreadableInput extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'UnreadableInput';
  }
}
