/**
 * Exit codes of the operator commands (import, export, stats), the same scheme as the rest of the
 * CLI: 0 success, 1 some data failed, 2 usage or configuration errors.
 *
 * EXIT_CONFIG repeats `EXIT_CONFIG` of `index.ts` rather than importing it: `index.ts` imports the
 * commands, and a command importing `index.ts` back would make a require cycle.
 */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_CONFIG = 2;
