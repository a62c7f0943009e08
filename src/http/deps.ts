import type winston from 'winston';
import type { Clock } from '../clock';
import type { Catalog } from '../config/catalog';
import type { Metrics } from '../metrics/metrics';
import type { TaxiwayConfig } from '../config/types';
import type { IngestService } from '../services/ingest';
import type { ObjectService } from '../services/objects';
import type { StatusService } from '../services/statuses';
import type { Store } from '../store/store';
import type { Access } from './access';

/** What every router needs; built once per app, no globals. */
export interface RouteDeps {
  config: TaxiwayConfig;
  catalog: Catalog;
  access: Access;
  objects: ObjectService;
  ingest: IngestService;
  statuses: StatusService;
  /** For the health check only; object routes go through the services. */
  store: Store;
  logger: winston.Logger;
  clock: Clock;
  metrics?: Metrics;
  isDraining: () => boolean;
}
