import type winston from 'winston';
import type { Catalog } from '../catalog';
import type { TaxiwayConfig } from '../config/types';
import type { StixValidator } from '../stix/validator';
import type { Store } from '../store/store';
import type { Access } from './access';

/** What every router needs; built once per app, no globals. */
export interface RouteDeps {
  config: TaxiwayConfig;
  catalog: Catalog;
  access: Access;
  store: Store;
  validator: StixValidator;
  logger: winston.Logger;
  /** Microseconds since the epoch; injectable for tests. */
  clock: () => bigint;
}
