import type winston from 'winston';
import type { LoginThrottle } from '../auth/throttle';
import type { AuthProvider } from '../auth/users';
import type { Clock } from '../clock';
import type { Catalog } from '../config/catalog';
import type { TaxiwayConfig } from '../config/types';
import type { IngestService } from '../services/ingest';
import type { ObjectService } from '../services/objects';
import type { StatsService } from '../services/stats';
import type { StatusService } from '../services/statuses';
import type { Store } from '../store/store';
import type { ConsoleKeyMaterial, SessionKey } from './keys';
import type { ValidateLimiter } from './limiter';
import type { Sessions } from './sessions';
import type { Views } from './views';

/** What the app hands the console: the same services the TAXII routes use (one data path). */
export interface ConsoleDeps {
  config: TaxiwayConfig;
  catalog: Catalog;
  objects: ObjectService;
  ingest: IngestService;
  /** For listing a user's statuses. */
  store: Store;
  logger: winston.Logger;
  /** From `consoleSessionKeys`, made once per process so random keys outlive configuration reloads. */
  keys: ConsoleKeyMaterial;
  /** Collection statistics; pass the process's instance so its cache outlives reloads. Default: a new one. */
  stats?: StatsService;
  statuses?: StatusService;
  /** The process's login throttle, shared with TAXII logins. */
  throttle?: LoginThrottle;
  /** Checks passwords. Default: the configured users. A session also needs the user in the configuration. */
  users?: AuthProvider;
  clock?: Clock;
  /** Validation rate limits; pass the process's instance so counters outlive reloads. Default: a new one. */
  validateLimiter?: ValidateLimiter;
}

/** Everything a console page handler needs, resolved once per configuration. */
export interface ConsoleContext {
  config: TaxiwayConfig;
  catalog: Catalog;
  objects: ObjectService;
  ingest: IngestService;
  store: Store;
  stats: StatsService;
  statuses: StatusService;
  throttle?: LoginThrottle;
  users: AuthProvider;
  logger: winston.Logger;
  clock: Clock;
  keys: readonly SessionKey[];
  sessions: Sessions;
  views: Views;
  limiter: ValidateLimiter;
}
