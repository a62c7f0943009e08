/**
 * `taxiway copy`: moves a whole deployment between stores (embedded SQLite ↔ MongoDB).
 *
 * Streams page by page (never a whole collection in memory): every version of every collection
 * with its `date_added`, digest and owner, then every status. Resumable: the target skips
 * versions it already holds and statuses are upserts, so re-running an interrupted copy finishes
 * it without duplicates. Copy into a target that Taxiway is not serving meanwhile: imported
 * versions keep their old `date_added`, which readers polling the target could already be past.
 */
import { SingleBar } from 'cli-progress';
import type { Page, Store, StoreTransfer } from '../store/store';

/** What `taxiway copy` needs of a store: reading and writing statuses besides the transfer methods. */
type CopyStore = StoreTransfer & { saveStatus: Store['saveStatus'] };

export interface CopyOptions {
  /** Draw a progress bar (a TTY); otherwise print one line per collection. */
  progress: boolean;
  out: NodeJS.WritableStream;
  /** Versions or statuses per page (default 500). */
  pageSize?: number;
}

export interface CopySummary {
  collections: number;
  versions: number;
  statuses: number;
}

const DEFAULT_PAGE_SIZE = 500;

export async function runCopy(from: CopyStore, to: CopyStore, options: CopyOptions): Promise<CopySummary> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const progress = new CopyProgress(options);
  const summary: CopySummary = { collections: 0, versions: 0, statuses: 0 };
  for (const collectionId of await from.listCollectionIds()) {
    progress.start(`collection ${collectionId}`);
    summary.versions += await copyCollection(from, to, collectionId, pageSize, (copied, more) => progress.update(copied, more));
    summary.collections += 1;
    progress.finish('versions');
  }
  progress.start('statuses');
  summary.statuses = await copyStatuses(from, to, pageSize, (copied, more) => progress.update(copied, more));
  progress.finish('statuses');
  options.out.write(
    `copied ${summary.versions} versions in ${summary.collections} collections and ${summary.statuses} statuses\n`,
  );
  return summary;
}

/**
 * The one copy loop: fetch a page after a cursor, store it, move the cursor to its last item,
 * until the source says there is no more.
 */
async function copyPages<T>(
  fetch: (after: string | undefined) => Promise<Page<T>>,
  put: (items: T[]) => Promise<void>,
  cursorOf: (item: T) => string,
  onProgress: (copied: number, more: boolean) => void,
): Promise<number> {
  let copied = 0;
  let after: string | undefined;
  for (;;) {
    const page = await fetch(after);
    if (page.items.length > 0) {
      await put(page.items);
      copied += page.items.length;
      after = cursorOf(page.items[page.items.length - 1]);
    }
    onProgress(copied, page.more);
    if (!page.more || page.items.length === 0) return copied;
  }
}

function copyCollection(from: CopyStore, to: CopyStore, collectionId: string, pageSize: number, onProgress: (copied: number, more: boolean) => void): Promise<number> {
  return copyPages(
    (after) => from.exportObjects(collectionId, { limit: pageSize, after }),
    (items) => to.importObjects(collectionId, items),
    (item) => item.dateAdded,
    onProgress,
  );
}

function copyStatuses(from: CopyStore, to: CopyStore, pageSize: number, onProgress: (copied: number, more: boolean) => void): Promise<number> {
  return copyPages(
    async (afterId) => {
      const items = await from.exportStatuses(afterId, pageSize);
      return { items, more: items.length === pageSize };
    },
    async (items) => {
      for (const status of items) await to.saveStatus(status);
    },
    (status) => status.id,
    onProgress,
  );
}

/**
 * A bar per collection. Stores cannot count cheaply, so the total grows with each page: the bar
 * shows what is copied and whether more pages follow.
 */
class CopyProgress {
  private bar?: SingleBar;
  private label = '';
  private copied = 0;

  constructor(private readonly options: CopyOptions) {}

  start(label: string): void {
    this.label = label;
    this.copied = 0;
    if (!this.options.progress) return;
    this.bar = new SingleBar({
      format: '{label} [{bar}] {value} copied',
      stream: this.options.out,
      hideCursor: true,
      clearOnComplete: false,
      // Draw even where the stream is not a terminal (the CLI decides whether to ask for a bar).
      noTTYOutput: true,
    });
    this.bar.start(1, 0, { label });
  }

  update(copied: number, more = false): void {
    this.copied = copied;
    this.bar?.setTotal(Math.max(1, copied + (more ? Math.max(1, Math.ceil(copied / 4)) : 0)));
    this.bar?.update(copied, { label: this.label });
  }

  finish(unit: string): void {
    if (this.bar) {
      this.bar.setTotal(Math.max(1, this.copied));
      this.bar.update(this.copied);
      this.bar.stop();
      this.bar = undefined;
    } else {
      this.options.out.write(`${this.label}: ${this.copied} ${unit} copied\n`);
    }
  }
}
