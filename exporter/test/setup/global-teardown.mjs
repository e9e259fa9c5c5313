import fs from 'node:fs';

export default async function globalTeardown() {
  const handle = globalThis.__APERIO_TEST_PG__;
  if (!handle) return;
  await handle.server.stop();
  fs.rmSync(handle.parent, { recursive: true, force: true });
}
