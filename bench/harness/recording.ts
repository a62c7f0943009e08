/**
 * Real Taxiway responses, recorded so the bare node:http server can replay the same bytes. The file
 * is a sequence of records: one JSON header line `{"path","status","headers","length"}`, then
 * `length` body bytes, then a newline. Appending as we go keeps the harness's memory flat even when
 * the full walk of a million objects is recorded.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { Reply } from './client';

/** Hop-by-hop or per-response headers that node:http writes by itself in both servers. */
const NOT_REPLAYED = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

export interface Recorded {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

export class Recorder {
  private readonly fd: number;
  private bytes = 0;
  private readonly paths = new Set<string>();
  /** Responses not recorded because the budget was spent (the bare server answers those 404). */
  skipped = 0;

  constructor(
    readonly file: string,
    private readonly maxBytes: number,
  ) {
    this.fd = openSync(file, 'w');
  }

  /** Records a response unless the byte budget is spent; `force` records it regardless (small, essential ones). */
  add(path: string, reply: Reply, force = false): void {
    if (this.paths.has(path)) return;
    if (!force && this.bytes + reply.body.length > this.maxBytes) {
      this.skipped++;
      return;
    }
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(reply.headers as IncomingHttpHeaders)) {
      if (value !== undefined && !NOT_REPLAYED.has(name)) headers[name] = value;
    }
    const head = JSON.stringify({ path, status: reply.status, headers, length: reply.body.length });
    writeSync(this.fd, `${head}\n`);
    writeSync(this.fd, reply.body);
    writeSync(this.fd, '\n');
    this.bytes += reply.body.length;
    this.paths.add(path);
  }

  close(): void {
    closeSync(this.fd);
  }
}

export function loadRecordings(file: string): Map<string, Recorded> {
  const data = readFileSync(file);
  const out = new Map<string, Recorded>();
  let at = 0;
  while (at < data.length) {
    const eol = data.indexOf(10, at);
    if (eol < 0) throw new Error(`${file}: truncated record at byte ${at}`);
    const head = JSON.parse(data.toString('utf8', at, eol)) as { path: string; status: number; headers: OutgoingHttpHeaders; length: number };
    const start = eol + 1;
    out.set(head.path, { status: head.status, headers: head.headers, body: data.subarray(start, start + head.length) });
    at = start + head.length + 1;
  }
  return out;
}
