import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import type { Express } from 'express';
import { buildApp, buildMetricsApp, type AppDeps } from './app';
import type { ServerConfig, TaxiwayConfig } from './config/types';
import { TAXII_MEDIA_TYPE } from './http/media-types';

/**
 * What outlives a configuration reload: the store, the logger, the clock, the validator, the
 * login throttle and the metrics. Everything built from the configuration (users, permissions,
 * collections, API roots, page limits) is rebuilt on reload.
 */
export type ServerServices = Omit<AppDeps, 'config' | 'isDraining'>;

export interface RunningServer {
  server: http.Server;
  url: string;
  /**
   * Applies a new (already validated) configuration to new requests; requests in flight finish on
   * the configuration they started with, and no connection is closed. Returns what could not change
   * without a restart (listen address, store, workers).
   */
  reload(config: TaxiwayConfig): string[];
  /**
   * Stops accepting connections, lets requests in flight finish within `graceMs` (their responses
   * carry `Connection: close`), then closes what is left. Resolves when the server is closed.
   */
  stop(graceMs: number): Promise<void>;
}

/**
 * TLS 1.2 suites allowed: AEAD with forward secrecy only, none of the RFC 7540 Appendix A block
 * list (TAXII §8.2.2 asks servers not to accept those). TLS 1.3 suites are Node's defaults, and
 * Node never accepts TLS 1.3 0-RTT data.
 */
const TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
].join(':');

/** A TAXII error written straight to a socket, for failures before Express sees the request. */
function rawError(socket: Duplex, status: number, title: string, description: string): void {
  const body = JSON.stringify({ title, description, error_id: randomUUID(), http_status: String(status) });
  const reason = http.STATUS_CODES[status] ?? 'Error';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${TAXII_MEDIA_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** Settings that only take effect at start, with the name an operator knows them by. */
const RESTART_ONLY: Array<[string, (c: TaxiwayConfig) => unknown]> = [
  ['server.host', (c) => c.server.host],
  ['server.port', (c) => c.server.port],
  ['server.workers', (c) => c.server.workers],
  ['server.pid_file', (c) => c.server.pid_file],
  ['server.tls (turning TLS on or off)', (c) => c.server.tls === undefined],
  ['store', (c) => c.store],
  ['metrics.port', (c) => c.metrics.port],
  ['auth.throttle', (c) => c.auth.throttle],
];

function applyTimeouts(server: http.Server, config: ServerConfig): void {
  server.requestTimeout = config.request_timeout_seconds * 1000;
  server.headersTimeout = config.headers_timeout_seconds * 1000;
  server.keepAliveTimeout = config.keep_alive_timeout_seconds * 1000;
}

function tlsOptions(tls: NonNullable<ServerConfig['tls']>): https.ServerOptions {
  return { cert: readFileSync(tls.cert), key: readFileSync(tls.key), ca: tls.ca ? readFileSync(tls.ca) : undefined };
}

/** Starts listening with the configured host, port and TLS; the app is rebuilt on every reload. */
export function startServer(initial: TaxiwayConfig, services: ServerServices): Promise<RunningServer> {
  return listen(initial, services, (config, isDraining) => buildApp({ ...services, config, isDraining }), initial.server.port, initial.server.tls);
}

/** The separate metrics listener (`metrics.port`, plain HTTP on server.host). */
export function startMetricsServer(initial: TaxiwayConfig, services: ServerServices & { metrics: NonNullable<ServerServices['metrics']> }): Promise<RunningServer> {
  return listen(initial, services, (config) => buildMetricsApp({ ...services, config }), initial.metrics.port ?? 0, undefined);
}

async function listen(
  initial: TaxiwayConfig,
  services: ServerServices,
  buildFor: (config: TaxiwayConfig, isDraining: () => boolean) => Express,
  listenPort: number,
  tls: ServerConfig['tls'],
): Promise<RunningServer> {
  const { logger } = services;
  let config = initial;
  let draining = false;
  const build = (c: TaxiwayConfig): Express => buildFor(c, () => draining);
  let app = build(config);
  const inFlight = new Set<http.ServerResponse>();
  // Each request runs on the app (and so the configuration) current when it arrived.
  const handle = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    if (draining) res.setHeader('Connection', 'close');
    inFlight.add(res);
    res.on('close', () => {
      inFlight.delete(res);
      // While draining, a connection whose response is done is closed at once, not at its keep-alive timeout.
      if (draining) server.closeIdleConnections();
    });
    app(req, res);
  };
  const server = tls
    ? https.createServer({ ...tlsOptions(tls), minVersion: 'TLSv1.2', ciphers: TLS12_CIPHERS, honorCipherOrder: true, maxHeaderSize: 32 * 1024, requireHostHeader: false }, handle)
    : http.createServer({ maxHeaderSize: 32 * 1024, requireHostHeader: false }, handle);
  applyTimeouts(server, config.server);
  // Expect: 100-continue is answered by the app when it starts reading the body (src/http/body.ts),
  // so an oversized or unauthorised upload is refused before the client sends it.
  server.on('checkContinue', (req: http.IncomingMessage, res: http.ServerResponse) => server.emit('request', req, res));
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) return socket.destroy();
    if (err.code === 'HPE_HEADER_OVERFLOW') rawError(socket, 431, 'Request header fields too large', 'The request line or headers are too large.');
    else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') rawError(socket, 408, 'Request timeout', 'The request took too long to arrive.');
    else rawError(socket, 400, 'Bad request', 'The request is not valid HTTP.');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, config.server.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : listenPort;
  const url = `${tls ? 'https' : 'http'}://${config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host}:${port}`;

  return {
    server,
    url,
    reload(next) {
      const unchanged = RESTART_ONLY.filter(([, read]) => JSON.stringify(read(next)) !== JSON.stringify(read(config))).map(([name]) => name);
      app = build(next);
      applyTimeouts(server, next.server);
      logger.level = next.server.log_level;
      // A renewed certificate takes effect for new connections without a restart.
      if (tls && next.server.tls && server instanceof https.Server) server.setSecureContext(tlsOptions(next.server.tls));
      config = next;
      return unchanged;
    },
    stop(graceMs) {
      draining = true;
      // Responses not yet started tell their clients to open a new connection (to another instance).
      for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
      return new Promise<void>((resolve) => {
        const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
        deadline.unref();
        server.close(() => {
          clearTimeout(deadline);
          resolve();
        });
        // Idle keep-alive connections carry no request: close them now; busy ones close after
        // their response (which says Connection: close).
        server.closeIdleConnections();
      });
    },
  };
}
