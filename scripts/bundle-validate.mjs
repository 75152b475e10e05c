/**
 * Replaces dist/cli/validate-command.js (a re-export of the validate command, as tsc wrote it) with one file holding
 * the command and every module of this package it imports; npm packages stay imports. Run by `npm run build`.
 *
 * dist/cli/io.js stays a module of its own: `main` and the command must share it, since main recognises a usage
 * error by its class (a bundled copy of the class would be another class, and exit 3 instead of 2).
 *
 * Plain JavaScript, so that it runs wherever the package is built (`npm ci`, `npm pack`, a git install) with Node and
 * the dev dependencies alone.
 */
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { build } from 'esbuild';

const entry = fileURLToPath(new URL('../dist/cli/validate-command.js', import.meta.url));
const shared = fileURLToPath(new URL('../dist/cli/io.js', import.meta.url));

/** @type {import('esbuild').Plugin} */
const keepShared = {
  name: 'keep-cli-io-shared',
  setup(b) {
    b.onResolve({ filter: /\/io\.js$/ }, (args) => (resolve(args.resolveDir, args.path) === shared ? { path: './io.js', external: true } : undefined));
  },
};

await build({
  entryPoints: [entry],
  outfile: entry,
  allowOverwrite: true,
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [keepShared],
});
