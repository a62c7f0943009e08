/** One value read from an input file, with its position there. */
export interface InputObject {
  value: unknown;
  /** 0-based position among the file's objects (the index in `objects`, or the NDJSON object number). */
  index: number;
  /** 1-based line, for NDJSON. */
  line?: number;
}
