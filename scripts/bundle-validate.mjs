/**
 * Writes dist/cli/validate-command.cjs, one CommonJS file holding the `validate` command and every module of this
 * package it imports, then has scripts/warm-validate-cache.mjs make its V8 code cache
 * (dist/cli/validate-command.cjs.cache). Run by `npm run build`, after tsc. `main` loads the command from this file
 * through src/cli/load-cached-bundle.ts: one file instead of some 80 modules, whose functions V8 finds compiled in the
 * cache instead of compiling them again, is most of the command's start-up.
 *
 * dist/cli/io.js stays outside the bundle: `main` hands the module it imported to the bundle's `require`, since main
 * recognises a usage error by its class (a bundled copy of the class would be another class, and exit 3 instead of 2).
 * CommonJS, because V8 takes cached data only for a script (`vm.Script`), not for an ES module; `import.meta.url`
 * becomes the bundle file's own URL, so schemas and the worker script resolve as they do from dist/cli/.
 *
 * `tsc` alone does not touch the bundle, and `main` runs the bundle whenever there is one: after compiling changed
 * sources, bundle again (`npm run build`, or `npm run build:validate` after `tsc`; the tests' build does both).
 *
 * Plain JavaScript, so that it runs wherever the package is built (`npm ci`, `npm pack`, a git install) with Node and
 * the dev dependencies alone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const entry = fileURLToPath(new URL('../dist/cli/validate-command.js', import.meta.url));
const shared = fileURLToPath(new URL('../dist/cli/io.js', import.meta.url));
const outfile = fileURLToPath(new URL('../dist/cli/validate-command.cjs', import.meta.url));
const warm = fileURLToPath(new URL('./warm-validate-cache.mjs', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/**
 * npm packages the command runs while it loads, bundled so that their code is in the cache too: small, pure
 * functions, where loading them as packages took about a tenth of the start-up (uuid is an ES module, which a
 * CommonJS file loads through Node's ESM loader). Their licences go at the end of the bundle. Every other package
 * stays a `require` of the installed package.
 */
const INLINED = ['uuid', 'date-fns'];
const external = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies })
  .filter((name) => !INLINED.includes(name))
  .flatMap((name) => [name, `${name}/*`]);
const licences = INLINED.map((name) => {
  const dir = dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));
  const file = ['LICENSE.md', 'LICENSE'].map((f) => join(dir, f)).find((f) => existsSync(f));
  if (file === undefined) throw new Error(`bundle-validate: ${name} is bundled, but its licence file was not found in ${dir}`);
  return `Bundled: ${name}\n\n${readFileSync(file, 'utf8').trim()}`;
});

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

const result = await build({
  write: false,
  entryPoints: [entry],
  metafile: true,
  outfile,
  bundle: true,
  external,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  define: { 'import.meta.url': '__importMetaUrl' },
  // ASCII source (non-ASCII characters escaped): Node reads it as one byte a character, V8 keeps it so.
  charset: 'ascii',
  banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  footer: { js: `/*\n${licences.join('\n\n').replaceAll('*/', '* /')}\n*/` },
  sourcemap: true,
  logLevel: 'warning',
  plugins: [keepShared],
});

// Comments esbuild keeps are written as they are; the rest of the file is ASCII already (charset above).
for (const out of result.outputFiles) {
  const text = out.path === outfile ? out.text.replace(/[\u0080-\uffff]/g, (c) => `\\u{${c.codePointAt(0).toString(16)}}`) : out.text;
  writeFileSync(out.path, text);
}

// Only the packages named above may be in the bundle: any other would be a copy no dependency update reaches.
const strays = Object.keys(result.metafile.inputs).filter((p) => /node_modules\//.test(p) && !INLINED.some((name) => p.includes(`node_modules/${name}/`)));
if (strays.length > 0) throw new Error(`bundle-validate: packages bundled that should stay imports: ${strays.join(', ')}`);

// In a process of its own, started as the bin starts (no NODE_OPTIONS): V8 refuses cached data made under other flags.
const made = spawnSync(process.execPath, [warm], { stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '' } });
if (made.status !== 0) {
  process.stderr.write(`bundle-validate: making the code cache of ${outfile} failed (exit ${String(made.status ?? made.signal)})\n`);
  process.exit(1);
}
