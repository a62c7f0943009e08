/**
 * Messages between the primary process and its workers (node:cluster IPC). The primary reads and
 * validates the configuration once and hands the result to every worker; workers ask the primary
 * for the whole cluster's metrics.
 */
import type { TaxiwayConfig } from '../config/types';

export type PrimaryMessage =
  /** The configuration a new worker starts with: the primary's current one, not the file's. */
  | { type: 'taxiway:start'; config: TaxiwayConfig }
  | { type: 'taxiway:reload'; config: TaxiwayConfig }
  | { type: 'taxiway:stop' }
  | { type: 'taxiway:metrics-response'; requestId: number; text?: string; error?: string };

export type WorkerMessage = { type: 'taxiway:metrics-request'; requestId: number };

export function isPrimaryMessage(message: unknown): message is PrimaryMessage {
  const type = (message as { type?: unknown } | null)?.type;
  return type === 'taxiway:start' || type === 'taxiway:reload' || type === 'taxiway:stop' || type === 'taxiway:metrics-response';
}

export function isWorkerMessage(message: unknown): message is WorkerMessage {
  return (message as { type?: unknown } | null)?.type === 'taxiway:metrics-request';
}
