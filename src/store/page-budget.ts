import type { PageRequest } from './store';

/**
 * Collects the rows of one page as a store reads them in date_added order: at most `limit` rows
 * and, for object pages with `maxBytes`, no more stored JSON than the budget beyond the first row
 * (a page always holds at least one, whatever its size). The store stops reading at the first row
 * that does not fit, so a page that ends on its budget never loads the rows after it.
 */
export class PageBudget<T> {
  readonly items: T[] = [];
  private used = 0;

  constructor(private readonly page: PageRequest) {}

  /** Takes the row if it fits; false when the page is complete (then there is more). */
  offer(row: T, bytes = 0): boolean {
    if (this.items.length === this.page.limit) return false;
    if (this.page.maxBytes !== undefined && this.items.length > 0 && this.used + bytes > this.page.maxBytes) return false;
    this.used += bytes;
    this.items.push(row);
    return true;
  }

  /** The stored JSON taken so far, in bytes. */
  get bytes(): number {
    return this.used;
  }
}
