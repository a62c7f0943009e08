/**
 * A minimal keep-alive TAXII client for the scenarios autocannon cannot express: ingest (bodies from
 * a generator) and walks (each URL depends on the previous answer). Bodies stay Buffers; the
 * scenarios decide how much of them to parse.
 *
 * A Node server closes a keep-alive connection keepAliveTimeout (5 s by default) after its last
 * response unless it has read the next request by then; a server whose event loop is busy for
 * longer closes connections that already carry the next request, and the client sees ECONNRESET
 * or "socket hang up" for a request the server never read. This client retries such a request
 * (pushes are idempotent in TAXII: a repeated object version is acknowledged, not stored twice),
 * and counts and describes every occurrence, because a server that stalls that long is a finding.
 */
import http from 'node:http';
import type { Socket } from 'node:net';

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';

/** Retries of a request whose connection the server closed before answering. */
const MAX_RESET_RETRIES = 3;
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE']);
const HANG_UP = 'socket hang up';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** From writing the request to the last byte of the response. */
  ms: number;
}

export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

export class TaxiiClient {
  private readonly agent: http.Agent;
  private readonly host: string;
  private readonly port: number;
  /** When each connection last finished a response, to describe resets. */
  private readonly lastResponse = new WeakMap<Socket, { at: number; served: number }>();
  /** Requests the server reset on a reused connection (each was retried). */
  resets = 0;
  /** The first few, described. */
  readonly resetExamples: string[] = [];

  constructor(
    readonly baseUrl: string,
    private readonly authorization: string,
    sockets = 16,
    /** Aborts in-flight and future requests (the harness is being interrupted). */
    private readonly signal?: AbortSignal,
  ) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  }

  /** The headers every request carries; autocannon sends the same. */
  headers(): Record<string, string> {
    return { Accept: TAXII_MEDIA_TYPE, Authorization: this.authorization };
  }

  get(path: string): Promise<Reply> {
    return this.request('GET', path);
  }

  post(path: string, body: string): Promise<Reply> {
    return this.request('POST', path, Buffer.from(body, 'utf8'));
  }

  close(): void {
    this.agent.destroy();
  }

  private async request(method: string, path: string, body?: Buffer): Promise<Reply> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(method, path, body);
      } catch (err) {
        if (!(err instanceof ConnectionClosed) || attempt >= MAX_RESET_RETRIES || this.signal?.aborted) {
          throw new Error(`${method} ${path.slice(0, 200)}: ${(err as Error).message}${attempt > 0 ? ` (attempt ${attempt + 1})` : ''}`);
        }
        this.resets++;
        if (this.resetExamples.length < 5) this.resetExamples.push(`${method} ${path.slice(0, 120)}: ${err.message}`);
      }
    }
  }

  private once(method: string, path: string, body?: Buffer): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = this.headers();
      if (body) {
        headers['Content-Type'] = TAXII_MEDIA_TYPE;
        headers['Content-Length'] = body.length;
      }
      const started = process.hrtime.bigint();
      const req = http.request({ host: this.host, port: this.port, method, path, agent: this.agent, headers, signal: this.signal }, (res) => {
        const chunks: Buffer[] = [];
        // Taken now: by 'end' the socket may already be detached and back in the agent's pool.
        const socket = res.socket;
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const previous = this.lastResponse.get(socket);
          this.lastResponse.set(socket, { at: Date.now(), served: (previous?.served ?? 0) + 1 });
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), ms: Number(process.hrtime.bigint() - started) / 1e6 });
        });
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        const previous = req.reusedSocket && req.socket ? this.lastResponse.get(req.socket) : undefined;
        const connection = previous ? `a keep-alive connection, ${Date.now() - previous.at} ms after its response #${previous.served}` : 'a new connection';
        const message = `${err.code ?? err.message} on ${connection}, ${Math.round(Number(process.hrtime.bigint() - started) / 1e6)} ms after sending`;
        const closed = RESET_CODES.has(err.code ?? '') || err.message === HANG_UP;
        reject(closed && !this.signal?.aborted ? new ConnectionClosed(message) : new Error(message));
      });
      req.end(body);
    });
  }
}

/** The server closed the connection without answering; the request may be sent again. */
class ConnectionClosed extends Error {}

/** A short description of an unexpected answer, for error messages. */
export function describe(method: string, path: string, reply: Reply): string {
  return `${method} ${path.slice(0, 300)} answered ${reply.status}: ${reply.body.toString('utf8', 0, Math.min(reply.body.length, 500))}`;
}
