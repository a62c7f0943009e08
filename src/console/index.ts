/**
 * The Taxiway console: a read-only web interface under `/_console/`, served by the same process
 * from the same services as the TAXII routes, under the same users and permissions.
 *
 * Wiring: mount `consoleRouter(...)` at `/_console` before TAXII authentication when
 * `console.enabled` is set; call `consoleSessionKeys` once per process and
 * `consoleStartupProblems` before starting workers. See docs/console.md.
 */
export { consoleRouter } from './router';
export { consoleSessionKeys, consoleStartupProblems, type ConsoleKeyMaterial } from './keys';
export { ValidateLimiter, DEFAULT_VALIDATE_LIMITS, type ValidateLimits } from './limiter';
export type { ConsoleDeps } from './deps';

/** Where the app mounts the console. */
export const CONSOLE_PATH = '/_console';
