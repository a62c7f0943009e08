import net from 'node:net';
import { buildConfig } from '../../src/config/load';
import { silentLogger } from '../../src/logging';
import { startServer, type RunningServer } from '../../src/server';
import { createSqliteStore } from '../../src/store/sqlite';
import type { Store } from '../../src/store/store';
import { IDS, PASSWORDS, testConfigObject } from '../support/config';
import { taxiiProblems } from '../support/taxii-schemas';

/** Failures Node's HTTP parser sees before Express must still be TAXII error resources. */
let running: RunningServer;
let store: Store;
let port: number;

beforeAll(async () => {
  const config = buildConfig(testConfigObject({ server: { port: 0, log_level: 'error' } }));
  store = createSqliteStore({ path: ':memory:' });
  await store.open();
  running = await startServer(config, { store, logger: silentLogger() });
  port = (running.server.address() as { port: number }).port;
});
afterAll(async () => {
  await running.stop(1000);
  await store.close();
});

/** Sends raw bytes and collects whatever comes back until the server closes or goes quiet. */
function raw(request: string, quietMs = 300): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    let timer: NodeJS.Timeout | undefined;
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(data);
    };
    socket.on('data', (chunk) => {
      data += chunk.toString('utf8');
      clearTimeout(timer);
      timer = setTimeout(finish, quietMs);
    });
    socket.on('end', finish);
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? finish() : reject(err)));
    socket.write(request);
  });
}

function parse(response: string): { status: number; headers: string; body: unknown } {
  const [head, ...rest] = response.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body: JSON.parse(rest.join('\r\n\r\n') || 'null') };
}

const AUTH = `Authorization: Basic ${Buffer.from(`alice:${PASSWORDS.alice}`).toString('base64')}\r\n`;

describe('errors raised before Express', () => {
  test('headers over the limit get a TAXII 431', async () => {
    const res = parse(await raw(`GET /taxii2/ HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`));
    expect(res.status).toBe(431);
    expect(res.headers).toContain('content-type: application/taxii+json;version=2.1');
    expect(taxiiProblems('error', res.body)).toEqual([]);
  });

  test('garbage that is not HTTP gets a TAXII 400', async () => {
    const res = parse(await raw('THIS IS NOT HTTP\r\n\r\n'));
    expect(res.status).toBe(400);
    expect(taxiiProblems('error', res.body)).toEqual([]);
  });

  test('a request without Host gets a TAXII 400', async () => {
    const res = parse(await raw('GET /taxii2/ HTTP/1.1\r\nAccept: */*\r\n\r\n'));
    expect(res.status).toBe(400);
    expect(res.headers).toContain('content-type: application/taxii+json;version=2.1');
    expect(res.body).toMatchObject({ description: expect.stringMatching(/Host/) });
  });

  test('Expect: 100-continue with an oversized body is refused before the body is sent', async () => {
    const response = await raw(
      `POST /api1/collections/${IDS.rw}/objects/ HTTP/1.1\r\nHost: x\r\n${AUTH}Accept: application/taxii+json;version=2.1\r\n` +
        'Content-Type: application/taxii+json;version=2.1\r\nContent-Length: 999999\r\nExpect: 100-continue\r\n\r\n',
    );
    expect(response).not.toMatch(/100 Continue/);
    expect(parse(response).status).toBe(413);
  });

  test('Expect: 100-continue with an acceptable body gets 100 Continue, then the answer', async () => {
    const body = '{"objects":[5]}';
    const socket = net.connect(port, '127.0.0.1');
    const got = await new Promise<string>((resolve) => {
      let data = '';
      socket.on('data', (chunk) => {
        data += chunk.toString();
        if (data.includes('100 Continue') && !data.includes('sent')) {
          data += 'sent';
          socket.write(body);
        }
        if (/\r\n\r\n\{.*\}$/s.test(data.split('sent')[1] ?? '')) resolve(data);
      });
      socket.write(
        `POST /api1/collections/${IDS.rw}/objects/ HTTP/1.1\r\nHost: x\r\n${AUTH}Accept: application/taxii+json;version=2.1\r\n` +
          `Content-Type: application/taxii+json;version=2.1\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`,
      );
    });
    socket.destroy();
    expect(got).toMatch(/^HTTP\/1\.1 100 Continue/);
    expect(got).toMatch(/HTTP\/1\.1 202/);
  });
});
