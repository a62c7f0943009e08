/** Reading status resources: each belongs to the user who pushed, under the API root it was pushed to. */
import type { StatusRecord, Store } from '../store/store';
import { NotFoundError } from './errors';

const STATUS_ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class StatusService {
  constructor(private readonly store: Store) {}

  /** The status, if `user` pushed it to `apiRoot` and it has not expired; to anyone else it does not exist. */
  async get(id: string, user: string, apiRoot: string): Promise<StatusRecord> {
    const status = STATUS_ID_RE.test(id) ? await this.store.getStatus(id.toLowerCase()) : undefined;
    if (!status || status.owner !== user || status.apiRoot !== apiRoot) {
      throw new NotFoundError(`There is no status '${id.slice(0, 64)}' here (statuses are kept for a limited time).`);
    }
    return status;
  }
}
