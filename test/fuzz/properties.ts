import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { DistillIntelError } from '../../src/errors.js';
import { checkPattern, parsePattern, parsePatternOrThrow, PatternSyntaxError, printPattern } from '../../src/pattern/index.js';
import { StixParseError, StixValidationError } from '../../src/stix/errors.js';
import { parse, parseOrThrow } from '../../src/stix/parse.js';
import { validate, validateOrThrow } from '../../src/stix/validate.js';
import { decodeCursor, encodeCursor, type CursorScope, type CursorState } from '../../src/taxii/protocol/cursor.js';
import { TaxiiError } from '../../src/taxii/protocol/errors.js';
import { parseQuery, type EndpointKind, type ExplicitFilters } from '../../src/taxii/protocol/filters.js';
import { checkContentType, negotiateAccept, parseAccept } from '../../src/taxii/protocol/media-types.js';
import { resolvePageRequest } from '../../src/taxii/protocol/paging.js';
import { canonicalStixTimestamp, formatTaxiiTimestamp, parseTaxiiTimestamp } from '../../src/taxii/protocol/timestamps.js';
import { createTaxiiHandler, type TaxiiHandler } from '../../src/taxii/server/handler.js';
import { MemoryStore } from '../../src/taxii/store/memory.js';
import type { Store } from '../../src/taxii/store/store.js';
import { SEED_MEDIA, SEED_OBJECTS, SEED_PATTERNS, SEED_QUERIES } from './seeds.js';

/*
 * Fuzz properties shared by the bounded jest suites (test/fuzz/*.test.ts) and the long runs (bench/fuzz-long.ts).
 * Each property states what hostile input must never do: throw anything but the module's typed error, hang, pollute
 * Object.prototype, or (through the server) answer other than with a 2xx or a 4xx TAXII error resource.
 */

// ---------------------------------------------------------------------------------------------------------------
// Generic hostile text
// ---------------------------------------------------------------------------------------------------------------

const anyChar = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.constantFrom('"', '\\', '{', '}', '[', ']', ',', ':', '\u0000', '\ud800', '\udfff', '\u2028', '\ufeff', '\n', "'", '(', ')', '.', '*', '='),
);

/** Applies 1..4 random edits (insert, delete, replace, duplicate, truncate) to a seed string. */
export function mutated(seeds: readonly string[]): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat(), fc.nat({ max: 16 }), fc.integer({ min: 0, max: 4 }), fc.string({ unit: anyChar, maxLength: 8 }));
  return fc.tuple(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 4 })).map(([seed, edits]) => {
    let s = seed;
    for (const [rawPos, len, op, insert] of edits) {
      const pos = s.length === 0 ? 0 : rawPos % (s.length + 1);
      switch (op) {
        case 0:
          s = s.slice(0, pos) + insert + s.slice(pos);
          break;
        case 1:
          s = s.slice(0, pos) + s.slice(pos + len);
          break;
        case 2:
          s = s.slice(0, pos) + insert + s.slice(pos + insert.length);
          break;
        case 3:
          s = s.slice(0, pos + len) + s.slice(pos, pos + len) + s.slice(pos + len);
          break;
        default:
          s = s.slice(0, pos);
      }
    }
    return s;
  });
}

/** Deep nesting, huge numbers and strings, prototype keys, odd code units. */
export const hostileJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 1, max: 20_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 1, max: 20_000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
  fc.integer({ min: 1, max: 20_000 }).map((n) => '['.repeat(n)),
  fc.constantFrom(
    '{"__proto__":{"polluted":1},"type":"indicator"}',
    '{"constructor":{"prototype":{"polluted":1}}}',
    '{"objects":[{"__proto__":{"isAdmin":true}}]}',
    '{"type":"bundle","id":"bundle--44298a74-ba52-4f0c-87a3-1824e67d7fad","objects":[{"__proto__":null}]}',
    '1e999',
    '-1e999',
    '123456789012345678901234567890',
    '{"type":"x-big","n":1e308,"m":-0,"k":9007199254740993}',
    '"\\ud800"',
    '{"a":"\\u0000"}',
    '\ufeff{}',
    '',
    'null',
    '[]',
    '{}',
  ),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.json({ maxDepth: 6 }),
);

/** Every key Object.prototype has now; compared after each run to catch prototype pollution. */
const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort().join(',');
export function assertNoPollution(): void {
  const now = Object.getOwnPropertyNames(Object.prototype).sort().join(',');
  if (now !== PROTO_KEYS) throw new Error(`Object.prototype was polluted: ${now}`);
  const probe = {} as Record<string, unknown>;
  if (probe['polluted'] !== undefined || probe['isAdmin'] !== undefined) throw new Error('Object.prototype was polluted');
}

// Kebab-case; a version number may keep its dot (`stix-2.0-content`).
const DIAG_CODE = /^[a-z0-9]+(?:-(?:[a-z0-9]+|\d+\.\d+))*$/;

function assertDiagnostics(list: readonly { code: string; severity: string; path: string; message: string }[]): void {
  for (const d of list) {
    if (!DIAG_CODE.test(d.code)) throw new Error(`diagnostic code not kebab-case: ${d.code}`);
    if (d.severity !== 'error' && d.severity !== 'warning') throw new Error(`bad severity ${d.severity}`);
    if (typeof d.path !== 'string' || (d.path !== '' && !d.path.startsWith('/'))) throw new Error(`bad pointer ${d.path}`);
    if (typeof d.message !== 'string' || d.message === '') throw new Error('diagnostic without message');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// STIX parse / validate
// ---------------------------------------------------------------------------------------------------------------

const seedTexts = SEED_OBJECTS.map((o) => JSON.stringify(o));
const seedBundle = JSON.stringify({ type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', objects: SEED_OBJECTS });
const seedNdjson = seedTexts.join('\n');

export const stixText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: mutated([...seedTexts, seedBundle, seedNdjson]) },
  { weight: 2, arbitrary: hostileJsonText },
);

/** A seed object with some properties replaced, removed or added, with arbitrary JSON-ish values. */
export const mutatedObject: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.constantFrom(...SEED_OBJECTS),
    fc.array(
      fc.tuple(
        fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('type', 'id', 'created', 'modified', 'spec_version', 'pattern', 'source_ref', 'object_marking_refs', 'extensions', '__proto__', 'constructor')),
        fc.option(fc.anything({ maxDepth: 3, withNullPrototype: true, withBigInt: false }), { nil: undefined }),
      ),
      { maxLength: 4 },
    ),
  )
  .map(([seed, edits]) => {
    const o: Record<string, unknown> = JSON.parse(JSON.stringify(seed)) as Record<string, unknown>;
    for (const [k, v] of edits) {
      if (v === undefined) delete o[k];
      else Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return o;
  });

function stixTextNeverThrows(text: string): void {
  const r = parse(text);
  assertDiagnostics(r.diagnostics);
  try {
    const objects = parseOrThrow(text);
    if (objects.length !== r.objects.length) throw new Error('parseOrThrow returned a different set than parse');
  } catch (e) {
    if (!(e instanceof StixParseError || e instanceof StixValidationError)) throw e;
    if (!r.diagnostics.some((d) => d.severity === 'error')) throw new Error('parseOrThrow threw although parse found no error');
  }
  assertNoPollution();
}

export const stixProperties = {
  'STIX parse: mutated and hostile text never throws; parseOrThrow throws only typed errors': () =>
    fc.property(stixText, stixTextNeverThrows),
  'STIX parse: arbitrary text (any code units) never throws': () =>
    fc.property(fc.string({ unit: 'binary', maxLength: 400 }), stixTextNeverThrows),
  'STIX validate: mutated objects give well-formed diagnostics; validateOrThrow throws only StixValidationError': () =>
    fc.property(mutatedObject, (o) => {
      const diags = validate(o);
      assertDiagnostics(diags);
      try {
        validateOrThrow(o);
        if (diags.some((d) => d.severity === 'error')) throw new Error('validateOrThrow passed an object with errors');
      } catch (e) {
        if (!(e instanceof StixValidationError)) throw e;
      }
      const p = parse(o);
      assertDiagnostics(p.diagnostics);
      assertNoPollution();
    }),
  'STIX validate: any JS value never throws': () =>
    fc.property(fc.anything({ maxDepth: 4, withNullPrototype: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true }), (v) => {
      assertDiagnostics(validate(v));
      assertDiagnostics(parse(v).diagnostics);
      assertNoPollution();
    }),
};

// ---------------------------------------------------------------------------------------------------------------
// STIX patterns
// ---------------------------------------------------------------------------------------------------------------

export const patternText: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: mutated(SEED_PATTERNS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 120 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 5000 }), fc.constantFrom('(', '[', '(['))
      .map(([n, open]) => open.repeat(n) + "a:b = 'x'" + (open === '(' ? ')' : open === '[' ? ']' : '])').repeat(n)),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1, max: 3000 }).map((n) => '[' + Array.from({ length: n }, () => "a:b = 'x'").join(' AND ') + ']'),
  },
);

export const patternProperties = {
  'pattern parser: hostile text never throws; a failure has a position inside the text': () =>
    fc.property(patternText, (text) => {
      const r = parsePattern(text);
      if (r.ok) {
        // What the parser accepts it must be able to print back into text it accepts again.
        const again = parsePattern(printPattern(r.ast));
        if (!again.ok) throw new Error(`printed pattern does not re-parse: ${again.error.message}`);
      } else {
        const e = r.error;
        if (!(e.offset >= 0 && e.offset <= text.length && e.line >= 1 && e.column >= 1)) throw new Error(`bad position ${JSON.stringify(e)}`);
        try {
          parsePatternOrThrow(text);
          throw new Error('parsePatternOrThrow accepted what parsePattern refused');
        } catch (err) {
          if (!(err instanceof PatternSyntaxError)) throw err;
        }
      }
      const checked = checkPattern(text);
      if (typeof checked !== 'object' || checked === null) throw new Error('checkPattern returned no result');
      assertNoPollution();
    }),
};

// ---------------------------------------------------------------------------------------------------------------
// TAXII protocol: query strings, cursors, media types, timestamps
// ---------------------------------------------------------------------------------------------------------------

const KINDS: readonly EndpointKind[] = ['objects', 'manifest', 'object', 'versions', 'delete'];

const queryPart = fc.oneof(
  fc.constantFrom('added_after', 'limit', 'next', 'match[id]', 'match[type]', 'match[version]', 'match[spec_version]', 'match[foo]', '__proto__', 'constructor[prototype]', 'match[__proto__]'),
  fc.string({ maxLength: 12 }),
);
const queryValue = fc.oneof(
  fc.constantFrom('', 'all', 'first,last', 'last,last', '2026-01-01T00:00:00Z', '2026-02-30T00:00:00Z', '9'.repeat(400), '0', '-1', '1e3', '01', ' 5',
    'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', 'indicator,,campaign', '2.1', '%ZZ', '%00', '%C0%AF', '../../etc/passwd'),
  fc.string({ unit: 'binary', maxLength: 30 }),
);
export const queryString: fc.Arbitrary<string> = fc.oneof(
  mutated(SEED_QUERIES),
  fc.array(fc.tuple(queryPart, queryValue), { maxLength: 6 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&')),
  fc.array(fc.tuple(queryPart, queryValue), { maxLength: 6 }).map((pairs) => new URLSearchParams(pairs).toString()),
);

function assertTaxii400(e: unknown): void {
  if (!(e instanceof TaxiiError) || e.httpStatus !== 400) throw e;
  const r = e.toResource();
  if (r.http_status !== '400' || typeof r.title !== 'string') throw new Error('bad error resource');
}

/** Query string equivalent of explicit filters, for the normalisation round trip. */
function explicitToQuery(f: ExplicitFilters): string {
  const p = new URLSearchParams();
  if (f.addedAfter !== undefined) p.set('added_after', formatTaxiiTimestamp(f.addedAfter));
  if (f.ids !== undefined) p.set('match[id]', f.ids.join(','));
  if (f.types !== undefined) p.set('match[type]', f.types.join(','));
  if (f.versions !== undefined) p.set('match[version]', f.versions.join(','));
  if (f.specVersions !== undefined) p.set('match[spec_version]', f.specVersions.join(','));
  return p.toString();
}

const SECRET = 'fuzz-cursor-secret-0123456789abcdef';
const scopeArb: fc.Arbitrary<CursorScope> = fc.record(
  {
    apiRoot: fc.constantFrom('api1', 'api2'),
    collectionId: fc.constantFrom('2f1e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b', '3a2b1c0d-9e8f-4a7b-9c6d-5e4f3a2b1c0d'),
    kind: fc.constantFrom<EndpointKind>('objects', 'manifest', 'object', 'versions'),
    objectId: fc.constantFrom('indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', 'identity--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061'),
  },
  { requiredKeys: ['apiRoot', 'collectionId', 'kind'] },
);
const stateArb: fc.Arbitrary<CursorState> = fc
  .record({
    versions: fc.constantFrom(['last'], ['all'], ['first', 'last'], ['2026-01-01T00:00:00.000Z']),
    addedAfter: fc.option(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), { nil: undefined }),
    types: fc.option(fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/), { minLength: 1, maxLength: 3 }), { nil: undefined }),
    dateAdded: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    seq: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  })
  .map((r) => {
    const filters: { versions: string[]; addedAfter?: number; types?: string[] } = { versions: [...r.versions] };
    if (r.addedAfter !== undefined) filters.addedAfter = r.addedAfter;
    if (r.types !== undefined) filters.types = [...r.types].sort();
    return { filters, position: { dateAdded: r.dateAdded, seq: r.seq } };
  });

function sameScope(a: CursorScope, b: CursorScope): boolean {
  return a.apiRoot === b.apiRoot && a.collectionId === b.collectionId && a.kind === b.kind && (a.objectId ?? '') === (b.objectId ?? '');
}

export const protocolProperties = {
  'query parsing: any query string parses or is a 400 TAXII error; parsing is a fixed point of normalisation': () =>
    fc.property(queryString, fc.constantFrom(...KINDS), (q, kind) => {
      let parsed;
      try {
        parsed = parseQuery(q, kind);
      } catch (e) {
        assertTaxii400(e);
        return;
      }
      const again = parseQuery(explicitToQuery(parsed.explicit), kind);
      if (JSON.stringify(again.explicit) !== JSON.stringify(parsed.explicit)) {
        throw new Error(`normalisation is not stable: ${JSON.stringify(parsed.explicit)} vs ${JSON.stringify(again.explicit)}`);
      }
      if (parsed.limit !== undefined && !(Number.isSafeInteger(parsed.limit) && parsed.limit > 0)) throw new Error('bad limit');
      // A random `next` is never a valid cursor: resolving must be a 400, not a crash.
      if (parsed.next !== undefined) {
        try {
          resolvePageRequest(parsed, SECRET, { apiRoot: 'api1', collectionId: 'c', kind });
          throw new Error(`a forged cursor was accepted: ${parsed.next}`);
        } catch (e) {
          assertTaxii400(e);
        }
      }
      assertNoPollution();
    }),
  'cursor: random tokens are refused with 400': () =>
    fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.base64String({ maxLength: 200 }), mutated(['eyJ2IjoxLCJkIjowLCJxIjowLCJyIjpbImxhc3QiXX0.AAAAAAAAAAAAAAAAAAAAAA'])), scopeArb, (token, scope) => {
      try {
        decodeCursor(SECRET, token, scope);
      } catch (e) {
        assertTaxii400(e);
        return;
      }
      throw new Error(`a forged cursor was accepted: ${token}`);
    }),
  'cursor: round-trips; any edited byte, other scope or other secret is refused': () =>
    fc.property(stateArb, scopeArb, scopeArb, fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), (state, scope, other, at, ch) => {
      const token = encodeCursor(SECRET, scope, state);
      const back = decodeCursor(SECRET, token, scope);
      if (JSON.stringify(back) !== JSON.stringify(state)) throw new Error(`round trip changed the cursor: ${JSON.stringify(back)}`);
      const i = at % token.length;
      if (token[i] !== ch) {
        const edited = token.slice(0, i) + ch + token.slice(i + 1);
        try {
          decodeCursor(SECRET, edited, scope);
          throw new Error(`an edited cursor was accepted: ${token} -> ${edited}`);
        } catch (e) {
          assertTaxii400(e);
        }
      }
      if (!sameScope(scope, other)) {
        try {
          decodeCursor(SECRET, token, other);
          throw new Error('a cursor was accepted in another scope');
        } catch (e) {
          assertTaxii400(e);
        }
      }
      try {
        decodeCursor('another-secret-0123456789abcdef', token, scope);
        throw new Error('a cursor was accepted under another secret');
      } catch (e) {
        assertTaxii400(e);
      }
    }),
  'cursor: only the canonical spelling of a cursor is accepted (no padding, whitespace or spare-bit variants)': () =>
    fc.property(stateArb, scopeArb, fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), fc.constantFrom('=', '==', ' ', '\n', '%3D'), (state, scope, last, suffix) => {
      const token = encodeCursor(SECRET, scope, state);
      for (const variant of [token.slice(0, -1) + last, token + suffix]) {
        if (variant === token) continue;
        try {
          decodeCursor(SECRET, variant, scope);
        } catch (e) {
          assertTaxii400(e);
          continue;
        }
        throw new Error(`a respelled cursor was accepted: ${token} -> ${JSON.stringify(variant)}`);
      }
    }),
  'media types and timestamps: any header or text is handled without throwing': () =>
    fc.property(fc.oneof(mutated(SEED_MEDIA), fc.string({ unit: 'binary', maxLength: 120 }), fc.constant('a;'.repeat(5000))), (h) => {
      const n = negotiateAccept(h);
      if (typeof n.acceptable !== 'boolean') throw new Error('negotiation without verdict');
      parseAccept(h);
      checkContentType(h);
      const t = parseTaxiiTimestamp(h);
      if (t !== undefined && !Number.isSafeInteger(t)) throw new Error('timestamp not an integer');
      canonicalStixTimestamp(h);
    }),
  'timestamps: formatting then parsing any µs instant is the identity': () =>
    fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (us) => {
      const back = parseTaxiiTimestamp(formatTaxiiTimestamp(us));
      if (back !== us) throw new Error(`${us} -> ${formatTaxiiTimestamp(us)} -> ${String(back)}`);
    }),
};

// ---------------------------------------------------------------------------------------------------------------
// Request bodies and query strings through the server (Web handler, in process, memory store)
// ---------------------------------------------------------------------------------------------------------------

export const FUZZ_COLLECTION = '2f1e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b';
const BASE = `http://fuzz.test/api1/collections/${FUZZ_COLLECTION}`;
const TAXII = 'application/taxii+json;version=2.1';

/** A handler over a memory store that anonymous callers may read and write (no scrypt in the loop). */
export function fuzzHandler(store: Store = new MemoryStore()): { handler: TaxiiHandler; store: Store } {
  const handler = createTaxiiHandler({
    store,
    apiRoots: [{ path: 'api1', title: 'fuzz', maxContentLength: 64 * 1024, collections: [{ id: FUZZ_COLLECTION, title: 'fuzz', alias: 'fz' }] }],
    auth: { anonymous: { canRead: ['*'], canWrite: ['*'] } },
    // Thousands of requests from one anonymous caller: the default rate limit would answer 429, which is not what is fuzzed.
    limits: { defaultPageSize: 50, maxPageSize: 200, rateLimit: { enabled: false } },
    cursorSecret: SECRET,
    pageCache: false,
  });
  return { handler, store };
}

/** Everything the collection holds (every version, every spec version), as a comparable string. */
export async function snapshot(store: Store): Promise<string> {
  const page = await store.queryObjects({ apiRoot: 'api1', collectionId: FUZZ_COLLECTION }, { versions: ['all'], specVersions: ['2.0', '2.1'] }, 100_000);
  return page.rows.map((r) => `${r.id}|${r.version}|${r.json}`).join('\n');
}

/** Checks one response: 2xx, or a 4xx whose body is a TAXII error resource with the same status. */
export async function assertTaxiiAnswer(res: Response, allowed: readonly number[]): Promise<string> {
  const text = await res.text();
  if (res.status >= 500) throw new Error(`server error ${res.status}: ${text}`);
  if (!allowed.includes(res.status)) throw new Error(`unexpected status ${res.status}: ${text}`);
  if (res.status >= 400) {
    const body = JSON.parse(text) as Record<string, unknown>;
    if (body['http_status'] !== String(res.status) || typeof body['title'] !== 'string') throw new Error(`not a TAXII error resource: ${text}`);
  }
  return text;
}

const envelopeText: fc.Arbitrary<string> = fc.oneof(
  mutated([JSON.stringify({ objects: SEED_OBJECTS }), JSON.stringify({ type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', objects: SEED_OBJECTS.slice(0, 2) })]),
  fc.array(mutatedObject, { maxLength: 4 }).map((objects) => {
    try {
      return JSON.stringify({ objects });
    } catch {
      return '{"objects":[]}';
    }
  }),
  hostileJsonText,
);
const bodyBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  envelopeText.map((t) => new TextEncoder().encode(t)),
  fc.uint8Array({ maxLength: 300 }),
  // Valid JSON around bytes that are not UTF-8.
  fc.uint8Array({ minLength: 1, maxLength: 8 }).map((b) => Buffer.concat([Buffer.from('{"objects":[{"type":"identity","name":"'), Buffer.from(b.map((x) => x | 0x80)), Buffer.from('"}]}')])),
);

export function bodyProperties(handler: TaxiiHandler, store: Store) {
  return {
    'POST bodies: any bytes give 202 or a 4xx TAXII error; refused bodies leave the store unchanged': () =>
      fc.asyncProperty(bodyBytes, fc.constantFrom(TAXII, 'application/stix+json;version=2.1', 'application/json', 'text/plain', '', 'application/taxii+json;version=9'), async (body, contentType) => {
        const before = await snapshot(store);
        const headers: Record<string, string> = { accept: TAXII };
        if (contentType !== '') headers['content-type'] = contentType;
        const res = await handler(new Request(`${BASE}/objects/`, { method: 'POST', headers, body: Buffer.from(body) }));
        const text = await assertTaxiiAnswer(res, [202, 400, 413, 415, 422]);
        if (res.status === 202 && !isUtf8(body)) throw new Error('a body that is not UTF-8 was accepted (its text would be stored altered)');
        const after = await snapshot(store);
        if (res.status !== 202 && after !== before) throw new Error(`a refused POST (${res.status}) changed the store`);
        if (res.status === 202) {
          const status = JSON.parse(text) as { total_count: number; success_count: number; failure_count: number; pending_count: number; status: string };
          if (status.success_count + status.failure_count + status.pending_count !== status.total_count) throw new Error('inconsistent status');
          if (status.success_count === 0 && after !== before) throw new Error('a POST without successes changed the store');
        }
        assertNoPollution();
      }),
    'GET query strings: any query gives 200 or a 400/404 TAXII error': () =>
      fc.asyncProperty(queryString, fc.constantFrom('objects/', 'manifest/', 'objects/indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f/', 'objects/indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f/versions/'), async (q, endpoint) => {
        let url: string;
        try {
          url = `${BASE}/${endpoint}?${q}`;
          new URL(url);
        } catch {
          return;
        }
        const res = await handler(new Request(url, { headers: { accept: TAXII } }));
        await assertTaxiiAnswer(res, [200, 400, 404]);
        assertNoPollution();
      }),
  };
}

/** Error types a library function may throw at hostile input. */
export function isTypedError(e: unknown): boolean {
  return e instanceof DistillIntelError;
}
