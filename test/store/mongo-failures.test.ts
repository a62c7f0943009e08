/**
 * Failure behaviour of the MongoDB store: start-up retries that log each attempt without
 * credentials, fast `StoreUnavailableError`s (never a hang) when the database goes away, and
 * recovery without a restart when it comes back.
 */
import { createServer, Socket, type AddressInfo, type Server } from 'node:net';
import { createMongoStore, redactUri } from '../../src/store/mongo';
import { StoreUnavailableError, type Store } from '../../src/store/store';
import { describeWithMongo, mongoTestStoreOptions, useTestDatabases } from '../support/mongo';
import { capturingLogger } from '../support/logging';
import { alice, bob, everything, makeObject, newCollectionId } from './fixtures';

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A TCP proxy to the database that the test can cut and restore, on a fixed port. */
class Outage {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = new Socket();
      upstream.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** The database "goes away": connections are reset and new ones refused. */
  async cut(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server?.close(resolve));
    this.server = undefined;
  }
}

/** The first `host:port` of a `mongodb://` URI. */
function firstHost(uri: string): { host: string; port: number } {
  const hosts = /^mongodb:\/\/(?:[^@/]*@)?([^/?]+)/.exec(uri)?.[1];
  if (hosts === undefined) throw new Error('this test needs a mongodb:// URI (not mongodb+srv://)');
  const [host, port] = hosts.split(',')[0].split(':');
  return { host, port: Number(port || 27017) };
}

/**
 * The same URI (credentials, options) pointed at the proxy. `directConnection`, because a replica
 * set would otherwise send the driver to its members' real addresses.
 */
function throughProxy(uri: string, port: number): string {
  const rewritten = uri.replace(/^(mongodb:\/\/(?:[^@/]*@)?)[^/?]+/, `$1127.0.0.1:${port}`);
  const [base, query = ''] = rewritten.split('?');
  const options = new URLSearchParams(query);
  options.delete('replicaSet');
  options.set('directConnection', 'true');
  return `${base.includes('/', 'mongodb://'.length) ? base : `${base}/`}?${options.toString()}`;
}

describe('redactUri', () => {
  it.each([
    ['mongodb://alice:s3cret@db.example:27017/taxiway?authSource=admin', 'mongodb://***@db.example:27017/taxiway?authSource=admin'],
    ['mongodb+srv://alice:p%40ss@cluster.example/', 'mongodb+srv://***@cluster.example/'],
    ['mongodb://db1,db2/?replicaSet=rs0&tlsCertificateKeyFilePassword=hunter2', 'mongodb://db1,db2/?replicaSet=rs0&tlsCertificateKeyFilePassword=***'],
    ['mongodb://127.0.0.1:27017', 'mongodb://127.0.0.1:27017'],
  ])('%s → %s', (uri, redacted) => {
    expect(redactUri(uri)).toBe(redacted);
  });
});

describe('MongoDB store without a database', () => {
  it('retries the start-up connection with backoff, logs every attempt without credentials, then fails as unavailable', async () => {
    const port = await closedPort();
    const { logger, lines } = capturingLogger();
    const store = createMongoStore({
      uri: `mongodb://taxiway:sup3r-s3cret@127.0.0.1:${port}/?authSource=admin`,
      database: 'taxiway',
      logger,
      connectRetries: { attempts: 3, initialDelayMs: 50, maxDelayMs: 100 },
      clientOptions: { serverSelectionTimeoutMS: 300 },
    });
    const started = Date.now();
    await expect(store.open()).rejects.toThrow(StoreUnavailableError);
    expect(Date.now() - started).toBeLessThan(5000);
    const log = lines.join('');
    expect(log.match(/connecting to MongoDB at mongodb:\/\/\*\*\*@127\.0\.0\.1:\d+\/\?authSource=admin \(attempt \d of 3\)/g)).toHaveLength(3);
    expect(log).toMatch(/retrying in 50 ms/);
    expect(log).toMatch(/retrying in 100 ms/);
    expect(log).not.toMatch(/sup3r-s3cret|taxiway:/);
    await expect(store.hasObject('c', 'x')).rejects.toThrow(StoreUnavailableError);
    expect((await store.health()).ok).toBe(false);
  });
});

describeWithMongo('MongoDB store when the database goes away', (uri) => {
  const databases = useTestDatabases(uri, 'failures');
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
  });

  it('fails within about a second with StoreUnavailableError, and recovers by itself', async () => {
    const outage = new Outage(firstHost(uri));
    await outage.start();
    const proxied = throughProxy(uri, outage.port);
    const { logger } = capturingLogger();
    store = createMongoStore(mongoTestStoreOptions(proxied, databases.next(), { logger }));
    await store.open();
    const c = newCollectionId();
    await store.addObjects(c, [makeObject()], alice);

    await outage.cut();
    for (const operation of [
      () => (store as Store).queryVersions(everything(c), { limit: 10 }),
      () => (store as Store).addObjects(c, [makeObject()], alice),
    ]) {
      const started = Date.now();
      await expect(operation()).rejects.toThrow(StoreUnavailableError);
      // serverSelectionTimeoutMS is 1 s; allow some slack for a loaded CI machine.
      expect(Date.now() - started).toBeLessThan(2000);
    }
    expect((await store.health()).ok).toBe(false);

    await outage.start();
    const deadline = Date.now() + 10_000;
    let recovered = false;
    while (!recovered && Date.now() < deadline) {
      recovered = await store.queryVersions(everything(c), { limit: 10 }).then(
        (page) => page.items.length === 1,
        () => false,
      );
      if (!recovered) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(recovered).toBe(true);
    expect((await store.addObjects(c, [makeObject()], alice))[0].kind).toBe('added');
    expect((await store.health()).ok).toBe(true);
    await outage.cut();
    await store.close();
    store = undefined;
  });

  it('leaves no owner behind when a push fails before its new object is stored', async () => {
    const doomed = makeObject();
    let failures = 1;
    store = createMongoStore(
      mongoTestStoreOptions(uri, databases.next(), {
        testHooks: {
          beforeInsert: async (_c, objectId) => {
            if (objectId === doomed.id && failures-- > 0) throw new StoreUnavailableError('connection lost mid-push');
          },
        },
      }),
    );
    await store.open();
    const c = newCollectionId();
    await expect(store.addObjects(c, [doomed], alice)).rejects.toThrow(StoreUnavailableError);
    expect(await store.getOwner(c, doomed.id)).toBeUndefined();
    expect(await store.hasObject(c, doomed.id)).toBe(false);
    const retried = await store.addObjects(c, [doomed], bob);
    expect(retried[0].kind).toBe('added');
    expect(await store.getOwner(c, doomed.id)).toBe('bob');
  });
});
