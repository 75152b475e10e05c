/**
 * Writes dist/cli/validate-command.cjs, one CommonJS file holding the `validate` command and every module of this
 * package it imports (npm packages stay `require`s), then has scripts/warm-validate-cache.mjs make its V8 code cache
 * (dist/cli/validate-command.cjs.cache). Run by `npm run build`, after tsc. `main` loads the command from this file
 * through src/cli/load-cached-bundle.ts: one file instead of some 80 modules, whose functions V8 finds compiled in the
 * cache instead of compiling them again, is most of the command's start-up.
 *
 * dist/cli/io.js stays outside the bundle: `main` hands the module it imported to the bundle's `require`, since main
 * recognises a usage error by its class (a bundled copy of the class would be another class, and exit 3 instead of 2).
 * CommonJS, because V8 takes cached data only for a script (`vm.Script`), not for an ES module; `import.meta.url`
 * becomes the bundle file's own URL, so schemas and the worker script resolve as they do from dist/cli/.
 *
 * Plain JavaScript, so that it runs wherever the package is built (`npm ci`, `npm pack`, a git install) with Node and
 * the dev dependencies alone.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const entry = fileURLToPath(new URL('../dist/cli/validate-command.js', import.meta.url));
const shared = fileURLToPath(new URL('../dist/cli/io.js', import.meta.url));
const outfile = fileURLToPath(new URL('../dist/cli/validate-command.cjs', import.meta.url));
const warm = fileURLToPath(new URL('./warm-validate-cache.mjs', import.meta.url));

/** @type {import('esbuild').Plugin} */
const keepShared = {
  name: 'keep-cli-io-shared',
  setup(b) {
    b.onResolve({ filter: /\/io\.js$/ }, (args) => (resolve(args.resolveDir, args.path) === shared ? { path: './io.js', external: true } : undefined));
  },
};

// A cache of the previous bundle is never used with the new one (its digest differs); removed so that a failed
// warm-up cannot leave one behind.
rmSync(`${outfile}.cache`, { force: true });

await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  sourcemap: true,
  logLevel: 'warning',
  plugins: [keepShared],
});

// In a process of its own, started as the bin starts (no NODE_OPTIONS): V8 refuses cached data made under other flags.
const made = spawnSync(process.execPath, [warm], { stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '' } });
if (made.status !== 0) {
  process.stderr.write(`bundle-validate: making the code cache of ${outfile} failed (exit ${String(made.status ?? made.signal)})\n`);
  process.exit(1);
}
