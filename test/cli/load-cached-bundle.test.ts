import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeCacheFile, decodeCodeCache, encodeCodeCache, loadCachedBundle, sourceDigest } from '../../src/cli/load-cached-bundle.js';

// Small CommonJS "bundles" written here; the built validate bundle and its cache are tested in
// validate-code-cache-built.test.ts. Each test writes its own files: V8 keeps compiled scripts per source text, so
// a source compiled by an earlier test would not show what a fresh process does with a cache.
let dir = '';
let n = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'di-code-cache-'));
  writeFileSync(join(dir, 'dep.cjs'), 'module.exports = { from: "dep.cjs" };\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A bundle exporting `value` from a function, so that the cache holds lazily compiled code too. */
function bundleSource(value: string): string {
  return `"use strict";\nfunction answer() { return ${JSON.stringify(value)}; }\nmodule.exports = { answer, file: __filename, dir: __dirname, dep: require("./dep.cjs"), io: require("./io.js"), self: this === exports };\n`;
}

function writeBundle(source: string): string {
  const file = join(dir, `bundle-${++n}.cjs`);
  writeFileSync(file, source);
  return file;
}

interface Exports {
  answer(): string;
  file: string;
  dir: string;
  dep: { from: string };
  io: unknown;
  self: boolean;
}

/** Loads `file` once without a cache, runs it, and writes the cache of what ran (as the build does). */
function makeCache(file: string): void {
  const loaded = loadCachedBundle<Exports>(file, { provided: { './io.js': {} }, useCache: false });
  loaded.exports.answer();
  writeFileSync(codeCacheFile(file), encodeCodeCache(loaded.digest, loaded.script.createCachedData()));
}

describe('loadCachedBundle', () => {
  it('runs the bundle as a CommonJS module: its own require, __filename, __dirname, exports as this; provided modules by identity', () => {
    const file = writeBundle(bundleSource('plain'));
    const provided = { marker: Symbol('io') };
    const loaded = loadCachedBundle<Exports>(file, { provided: { './io.js': provided } });
    expect(loaded.exports.answer()).toBe('plain');
    expect(loaded.exports.file).toBe(file);
    expect(loaded.exports.dir).toBe(dir);
    expect(loaded.exports.dep.from).toBe('dep.cjs');
    expect(loaded.exports.io).toBe(provided);
    expect(loaded.exports.self).toBe(true);
    expect(loaded.cache).toBe('absent');
    expect(loaded.digest).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
  });

  it('reads a bundle that is not ASCII as UTF-8', () => {
    const file = writeBundle(`// \u00a73.2\n${bundleSource('na\u00efve \u00a7 \u{1f512}')}`);
    const loaded = loadCachedBundle<Exports>(file, { provided: { './io.js': {} } });
    expect(loaded.exports.answer()).toBe('na\u00efve \u00a7 \u{1f512}');
  });

  it('uses a cache made from the same source', () => {
    const source = bundleSource('cached');
    const maker = writeBundle(source);
    makeCache(maker);
    // The same text under another name: V8 has not compiled this script yet in this process.
    const file = writeBundle(source);
    writeFileSync(codeCacheFile(file), readFileSync(codeCacheFile(maker)));
    const loaded = loadCachedBundle<Exports>(file, { provided: { './io.js': {} } });
    expect(loaded.cache).toBe('used');
    expect(loaded.exports.answer()).toBe('cached');
  });

  it('ignores a cache made from another source of the same length, which V8 alone would take', () => {
    const before = bundleSource('AAAA');
    const after = bundleSource('BBBB');
    expect(after.length).toBe(before.length);
    const file = writeBundle(before);
    makeCache(file);
    writeFileSync(file, after);
    const loaded = loadCachedBundle<Exports>(file, { provided: { './io.js': {} } });
    expect(loaded.cache).toBe('stale');
    expect(loaded.exports.answer()).toBe('BBBB');
  });

  it('compiles as usual when V8 refuses the data, the file is not a cache, cannot be read, or reading it is switched off', () => {
    const cases: Array<[string, (file: string) => void, 'rejected' | 'malformed' | 'unreadable' | 'absent', boolean]> = [
      ['rejected', (file) => writeFileSync(codeCacheFile(file), encodeCodeCache(sourceDigest(readFileSync(file)), Buffer.alloc(4096, 7))), 'rejected', true],
      ['malformed', (file) => writeFileSync(codeCacheFile(file), 'not a code cache, but long enough to hold a header of the expected length: 0123456789'), 'malformed', true],
      ['unreadable', (file) => mkdirSync(codeCacheFile(file)), 'unreadable', true],
      ['off', makeCache, 'absent', false],
    ];
    for (const [name, prepare, expected, useCache] of cases) {
      const file = writeBundle(bundleSource(name));
      prepare(file);
      const loaded = loadCachedBundle<Exports>(file, { provided: { './io.js': {} }, useCache });
      expect([name, loaded.cache]).toEqual([name, expected]);
      expect(loaded.exports.answer()).toBe(name);
    }
  });

  it('reads a cache file from where it is told to', () => {
    const file = writeBundle(bundleSource('elsewhere'));
    makeCache(file);
    const loaded = loadCachedBundle<Exports>(file, { provided: { './io.js': {} }, cacheFile: join(dir, 'none-here.cache') });
    expect(loaded.cache).toBe('absent');
  });
});

describe('the cache file', () => {
  const digest = 'ab'.repeat(32);

  it('is a header naming the source digest, then the data', () => {
    const bytes = encodeCodeCache(digest, Buffer.from([1, 2, 3]));
    expect(bytes.toString('latin1')).toBe(`distill-intel code cache 1 sha256:${digest}\n\x01\x02\x03`);
    expect(decodeCodeCache(bytes, digest)).toEqual(Buffer.from([1, 2, 3]));
    expect(decodeCodeCache(bytes, 'cd'.repeat(32))).toBe('stale');
  });

  it('without data, or with another header, is malformed', () => {
    expect(decodeCodeCache(Buffer.from(`distill-intel code cache 1 sha256:${digest}\n`), digest)).toBe('malformed');
    expect(decodeCodeCache(Buffer.from(`distill-intel code cache 2 sha256:${digest}\nxyz`), digest)).toBe('malformed');
  });

  it('records only a SHA-256 digest in lowercase hex', () => {
    expect(() => encodeCodeCache('AB'.repeat(32), Buffer.from([1]))).toThrow(TypeError);
    expect(() => encodeCodeCache('ab', Buffer.from([1]))).toThrow(/64 lowercase hex digits/);
  });
});
