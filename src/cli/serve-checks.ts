import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';

/** Whether `host` is a loopback interface (traffic never leaves the machine). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Checks that `host:port` can be bound, before anything is written: a start that cannot listen must not seed a
 * database or store a password it never shows. Port 0 always succeeds.
 *
 * @returns `undefined` when the port is free, else a sentence saying why it cannot be used.
 */
export function portProblem(port: number, host: string): Promise<string | undefined> {
  if (port === 0) return Promise.resolve(undefined);
  return new Promise((resolveProblem) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      const why =
        err.code === 'EADDRINUSE'
          ? 'another process is listening on it (choose another --port, or stop that process)'
          : err.code === 'EACCES'
            ? 'permission denied (ports below 1024 need privileges)'
            : err.code === 'EADDRNOTAVAIL'
              ? 'no interface of this machine has that address (check --host)'
              : err.message;
      resolveProblem(`cannot listen on ${host}:${port}: ${why}`);
    });
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolveProblem(undefined)));
  });
}

/** The root of the git work tree containing `path` (a `.git` folder or file above it), or `undefined`. */
export function gitWorkTreeOf(path: string): string | undefined {
  let dir = dirname(resolve(path));
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}
