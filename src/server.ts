import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import type winston from 'winston';
import { buildApp } from './app';
import type { Clock } from './clock';
import type { TaxiwayConfig } from './config/types';
import { TAXII_MEDIA_TYPE } from './http/media-types';
import type { Store } from './store/store';

export interface RunningServer {
  server: http.Server;
  url: string;
  close(): Promise<void>;
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

/** Starts listening with the configured host, port and TLS. */
export async function startServer(config: TaxiwayConfig, store: Store, logger: winston.Logger, clock?: Clock): Promise<RunningServer> {
  const app = buildApp({ config, store, logger, clock });
  const tls = config.server.tls;
  const server = tls
    ? https.createServer({ cert: readFileSync(tls.cert), key: readFileSync(tls.key), ca: tls.ca ? readFileSync(tls.ca) : undefined, minVersion: 'TLSv1.2', ciphers: TLS12_CIPHERS, honorCipherOrder: true, maxHeaderSize: 32 * 1024, requireHostHeader: false }, app)
    : http.createServer({ maxHeaderSize: 32 * 1024, requireHostHeader: false }, app);
  server.requestTimeout = config.server.request_timeout_seconds * 1000;
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
    server.listen(config.server.port, config.server.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const url = `${tls ? 'https' : 'http'}://${config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host}:${port}`;

  return {
    server,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
