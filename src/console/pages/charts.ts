/** Chart specifications for the console script: JSON in a data attribute (escaped by the template). */
import type { DailyCount } from '../../store/store';
import { formatCount } from '../format';

export interface ChartSpec {
  kind: 'bar' | 'line' | 'sparkline';
  label: string;
  labels: string[];
  values: number[];
}

export function chartJson(spec: ChartSpec): string {
  return JSON.stringify(spec);
}

/** The text alternative of a per-day chart. */
export function perDayLabel(perDay: readonly DailyCount[]): string {
  const total = perDay.reduce((sum, d) => sum + d.versions, 0);
  const busiest = perDay.reduce<DailyCount | undefined>((best, d) => (d.versions > (best?.versions ?? 0) ? d : best), undefined);
  const from = perDay[0]?.day ?? '';
  const to = perDay[perDay.length - 1]?.day ?? '';
  return `${formatCount(total)} versions added from ${from} to ${to}${busiest ? `; most on ${busiest.day} (${formatCount(busiest.versions)})` : ''}.`;
}
