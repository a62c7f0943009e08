/** How `taxiway stats` shows its figures: an aligned table, or JSON with snake_case keys as TAXII uses. */
import type { CollectionConfig } from '../config/types';
import type { CollectionSummary } from '../services/stats';
import { formatBytes, formatCount } from './units';

export interface StatsReport {
  store: { type: string; name: string; bytes: number | undefined };
  collections: Array<{ collection: CollectionConfig; label: string; summary: CollectionSummary }>;
}

export function formatStatsJson(report: StatsReport): string {
  const json = {
    store: { type: report.store.type, name: report.store.name, bytes: report.store.bytes ?? null },
    collections: report.collections.map(({ collection, summary }) => ({
      id: collection.id,
      api_root: collection.api_root,
      alias: collection.alias ?? null,
      title: collection.title,
      objects: summary.objects,
      versions: summary.versions,
      first_date_added: summary.firstDateAdded ?? null,
      last_date_added: summary.lastDateAdded ?? null,
      types: summary.byType,
      added_per_day: summary.perDay,
    })),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

export function formatStatsTable(report: StatsReport): string {
  const rows: string[][] = [['COLLECTION', 'OBJECTS', 'VERSIONS', 'FIRST DATE_ADDED', 'LAST DATE_ADDED']];
  for (const { label, summary } of report.collections) {
    rows.push([label, formatCount(summary.objects), formatCount(summary.versions), summary.firstDateAdded ?? '-', summary.lastDateAdded ?? '-']);
    for (const type of summary.byType) rows.push([`  ${type.type}`, formatCount(type.objects), formatCount(type.versions), '', '']);
  }
  const widths = rows[0].map((_h, column) => Math.max(...rows.map((row) => row[column].length)));
  // Names and dates left-aligned, counts right-aligned.
  const lines = rows.map((row) =>
    row
      .map((cell, column) => (column === 1 || column === 2 ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd(),
  );
  const size = report.store.bytes === undefined ? 'size unknown' : formatBytes(report.store.bytes);
  lines.push('', `store: ${report.store.type} ${report.store.name}, ${size}`);
  return `${lines.join('\n')}\n`;
}
