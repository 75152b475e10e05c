/**
 * A TAXII 2.1 server on plain node:http, backed by SQLite.
 *
 *   node --import ./bench/register.js examples/server-node-http.ts
 *   curl -u analyst:change-me http://127.0.0.1:8021/taxii2/
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createTaxiiHandler } from '../src/taxii/server/handler.js';
import { toNodeListener } from '../src/taxii/server/node.js';
import { hashSecret } from '../src/taxii/server/secrets.js';
import { SqliteStore } from '../src/taxii/store/sqlite.js';

export interface RunningExample {
  readonly url: string;
  close(): Promise<void>;
}

export async function startServer(options: { port?: number; db?: string } = {}): Promise<RunningExample> {
  const store = new SqliteStore({ filename: options.db ?? 'distill-intel-example.db' });
  const handler = createTaxiiHandler({
    store,
    title: 'Example lab threat intelligence',
    apiRoots: [
      {
        path: 'api1',
        title: 'Distillation intelligence',
        collections: [{ id: '8f3e2d1c-0b9a-4c8d-9e7f-6a5b4c3d2e1f', alias: 'shared', title: 'Shared with partners' }],
      },
    ],
    auth: {
      // Store only hashes: generate them once with `distill-intel serve --hash-secret` (it reads the secret from stdin).
      principals: [{ name: 'analyst', passwordHash: await hashSecret('change-me'), canRead: ['*'], canWrite: ['*'] }],
    },
    hooks: {
      onObjectsAdded: ({ objects, principal }) => {
        console.log(`${principal ?? 'anonymous'} added ${objects.length} object(s)`);
      },
    },
  });
  const server = createServer(toNodeListener(handler));
  await new Promise<void>((resolve) => server.listen(options.port ?? 8021, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await handler.close();
      await store.close();
    },
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const running = await startServer();
  console.log(`TAXII discovery: ${running.url}/taxii2/ (user analyst, password change-me)`);
  const stop = (): void => void running.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
