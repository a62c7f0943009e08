/**
 * Exit codes of the taxiway commands: 0 success, 1 some data failed (invalid or refused
 * objects, a broken input file), 2 usage or configuration errors.
 *
 * Commands import them from here, never from `index.ts`: `index.ts` imports the commands, so
 * the other way round would be a require cycle.
 */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_CONFIG = 2;
