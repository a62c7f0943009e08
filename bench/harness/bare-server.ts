/**
 * The limit every read figure is compared with: a bare node:http server, in its own process on the
 * server's core, answering the benchmark's requests with the bytes Taxiway sent (status, headers and
 * body, replayed from memory). What Taxiway achieves below this is the cost of its own work; what
 * this achieves is what Node, the kernel's loopback and the client allow.
 *
 *   node dist/bench/harness/bare-server.js RECORDINGS PORT
 */
import http from 'node:http';
import { loadRecordings } from './recording';

const NOT_FOUND = Buffer.from('{"title":"Not recorded"}');

function main(): void {
  const [file, portText] = process.argv.slice(2);
  if (!file || !portText) {
    process.stderr.write('usage: bare-server.js RECORDINGS PORT\n');
    process.exit(2);
  }
  const recordings = loadRecordings(file);
  let misses = 0;
  // The same server options as Taxiway's (src/server.ts), so connection handling is identical.
  const server = http.createServer({ maxHeaderSize: 32 * 1024, requireHostHeader: false }, (req, res) => {
    // GET requests have no body, but the stream must still be consumed for keep-alive.
    req.resume();
    if (req.url === '/_health/') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"ok","store":"memory"}');
      return;
    }
    const recorded = recordings.get(req.url ?? '');
    if (!recorded) {
      if (misses++ < 5) process.stderr.write(`bare-server: no recording for ${req.url?.slice(0, 200)}\n`);
      res.writeHead(404, { 'Content-Type': 'application/json', 'Content-Length': NOT_FOUND.length }).end(NOT_FOUND);
      return;
    }
    res.writeHead(recorded.status, recorded.headers).end(recorded.body);
  });
  server.listen(Number(portText), '127.0.0.1');
  const stop = (): void => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main();
