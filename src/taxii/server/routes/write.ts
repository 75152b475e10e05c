import { isUtf8 } from 'node:buffer';
import { formatLocation } from '../../../stix/location.js';
import { randomUUID } from 'node:crypto';
import { canonicalJson } from '../../../stix/canonical-json.js';
import { TaxiiError } from '../../protocol/errors.js';
import { parseQuery } from '../../protocol/filters.js';
import { assertContentType } from '../../protocol/media-types.js';
import type { Status, StatusDetails } from '../../protocol/resources.js';
import { buildStatus } from '../../protocol/resources.js';
import { canonicalStixTimestamp, formatTaxiiTimestamp } from '../../protocol/timestamps.js';
import type { Micros } from '../../protocol/timestamps.js';
import type { Diagnostic } from '../../../stix/diagnostic.js';
import { checkJsonValue, parseJsonText } from '../../../stix/safe-json.js';
import type { ParseDiagnostic } from '../../../stix/safe-json.js';
import { validate } from '../../../stix/validate.js';
import type { AddResult, CollectionRef, DeleteFilter, NewObject } from '../../store/store.js';
import { readBodyWithin } from '../body.js';
import { collectionKey } from './read.js';
import { findDuplicateKey } from '../../../stix/duplicate-keys.js';
import { toNewObject, versionOf } from '../new-object.js';
import { CHECKS_BEFORE_SIGNATURES, judgeSignatures, WRITE_CHECKS } from '../write-checks.js';
import { runWritePolicy, UNBOUND } from '../write-policy.js';
import type { WritingPrincipal } from '../write-policy.js';
import type { ObjectVerdict } from '../../../provenance/verify.js';
import { scanEnvelope } from '../envelope-shape.js';
import type { TaxiiResponse } from '../exchange.js';
import type { CollectionContext } from '../state.js';
import { forbidden, json, jsonText, notFound } from './respond.js';

/** At most this many diagnostics are quoted in one failure message. */
const MAX_QUOTED = 3;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function describe(diags: readonly Diagnostic[]): string {
  const errors = diags.filter((d) => d.severity === 'error');
  const quoted = errors.slice(0, MAX_QUOTED).map((d) => `${d.code} at ${formatLocation({ pointer: d.path })}: ${d.message}`);
  const rest = errors.length - quoted.length;
  return quoted.join('; ') + (rest > 0 ? `; and ${rest} more error${rest === 1 ? '' : 's'}` : '');
}

function tooMany(limit: number): TaxiiError {
  return new TaxiiError(413, `the envelope holds more than ${limit} objects, the most this server takes in one request; split it into smaller envelopes (nothing was stored)`, {
    errorCode: 'too-many-objects',
    details: { max_objects_per_envelope: limit },
  });
}

function notAnObject(index: number, found: string): TaxiiError {
  return new TaxiiError(422, `objects/${index} is a JSON ${found}, not a STIX object: an envelope lists JSON objects only (nothing was stored)`, {
    errorCode: 'invalid-envelope',
    details: { pointer: `/objects/${index}` },
  });
}

/**
 * Refuses, before parsing, a body whose `objects` are too many or not all JSON objects (see `scanEnvelope`), and
 * gives the exact text of each object when it can be located unambiguously.
 */
function checkShape(bytes: Buffer, maxObjects: number): string[] | undefined {
  const shape = scanEnvelope(bytes, maxObjects);
  if (shape.kind === 'too-many') throw tooMany(shape.limit);
  if (shape.kind === 'not-an-object') throw notAnObject(shape.index, shape.found);
  return shape.kind === 'ok' ? shape.texts : undefined;
}

function jsonKind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** Objects of the request body: an envelope's `objects` or a bundle's; `{}` is an empty envelope. */
function objectsOf(body: unknown, maxObjects: number): Record<string, unknown>[] {
  if (!isPlainObject(body)) {
    throw new TaxiiError(422, 'the body must be a TAXII envelope ({"objects": [...]}) or a STIX bundle', { errorCode: 'invalid-envelope' });
  }
  const objects = body['objects'];
  if (objects === undefined) return [];
  if (!Array.isArray(objects)) {
    throw new TaxiiError(422, '"objects" must be a list of STIX objects', { errorCode: 'invalid-envelope', details: { pointer: '/objects' } });
  }
  // The byte scan has already refused these; the parsed value is the authority, so it is checked once more.
  if (objects.length > maxObjects) throw tooMany(maxObjects);
  const stray = objects.findIndex((o) => !isPlainObject(o));
  if (stray !== -1) throw notAnObject(stray, jsonKind(objects[stray]));
  return objects as Record<string, unknown>[];
}

/** Longest message, id or version quoted in a failure: they echo caller input, which must not inflate the status. */
const MAX_DETAIL_CHARS = 500;

function clip(text: string): string {
  return text.length <= MAX_DETAIL_CHARS ? text : `${text.slice(0, MAX_DETAIL_CHARS - 1)}…`;
}

interface Checked {
  readonly accepted: { readonly index: number; readonly object: Record<string, unknown>; readonly row: NewObject }[];
  readonly failures: { readonly index: number; readonly detail: StatusDetails }[];
}

/**
 * Objects handed to the verification threads at a time while the rest of the envelope is still being validated: the
 * threads start on the first ones at once, and one message carries many objects.
 */
const VERIFY_CHUNK = 128;

/**
 * Validates each object (lenient STIX validation, collection type restrictions, extra checks), then runs the
 * collection's write policy (write-policy.ts) on it. When the server verifies signatures on its threads (`verifyPool`),
 * the objects that pass every other check go to them in chunks as validation proceeds, and the signature check (the
 * last of the policy) is decided on their verdicts: the same checks in the same order as on the request thread.
 */
async function checkObjects(ctx: CollectionContext, objects: readonly Record<string, unknown>[], texts: readonly string[] | undefined): Promise<Checked> {
  const accepted: Checked['accepted'][number][] = [];
  const failures: Checked['failures'][number][] = [];
  const strict = ctx.state.validation.strict === true;
  const extra = ctx.state.validation.check;
  const acceptTypes = ctx.collection.acceptTypes;
  const policy = ctx.collection.writePolicy;
  const pool = policy.signatures !== undefined && ctx.state.verifyPool?.trust === policy.signatures ? ctx.state.verifyPool : undefined;
  const checks = pool === undefined ? WRITE_CHECKS : CHECKS_BEFORE_SIGNATURES;
  const writer: WritingPrincipal = {
    name: ctx.principal.name,
    anonymous: ctx.principal.anonymous,
    binding: ctx.state.producers.get(ctx.principal.name) ?? UNBOUND,
  };
  const nowMs = Date.now();
  const awaitingSignatures: Checked['accepted'][number][] = [];
  const verdicts: Promise<ObjectVerdict[]>[] = [];
  let chunk: string[] = [];
  const handOver = (): void => {
    const sent = pool?.verify(chunk, nowMs);
    // awaited below, after the loop; a loop that throws first must not leave a rejection unhandled
    sent?.catch(() => undefined);
    if (sent !== undefined) verdicts.push(sent);
    chunk = [];
  };
  const fail = (index: number, id: string, version: string, message: string): void => {
    failures.push({ index, detail: { id: clip(id), version: clip(version), message: clip(`objects/${index}: ${message}`) } });
  };
  objects.forEach((obj, index) => {
    const id = str(obj['id']) ?? '';
    const version = versionOf(obj);
    const type = str(obj['type']);
    if (type === 'bundle') return fail(index, id, version, 'bundle-as-object: a bundle cannot be stored as an object; send its objects');
    if (type !== undefined && acceptTypes !== undefined && !acceptTypes.has(type)) {
      return fail(index, id, version, `collection-accept-types: this collection does not accept objects of type "${type}"`);
    }
    // JSON-level safety first (prototype keys, nesting depth, numbers that lose precision): such an object is refused
    // before any rule walks it.
    const unsafe: ParseDiagnostic[] = [];
    if (!checkJsonValue(obj, '', unsafe)) return fail(index, id, version, describe(unsafe));
    // The exact text is what gets stored and served: it must mean the same to every JSON parser (I-JSON §2.3).
    const text = texts?.[index];
    const duplicate = text === undefined ? undefined : findDuplicateKey(text);
    if (duplicate !== undefined) {
      return fail(index, id, version, `json-duplicate-key at ${duplicate}: a member name occurs twice in one object, which JSON parsers read differently`);
    }
    let diags: readonly Diagnostic[] = validate(obj, { strict });
    if (extra !== undefined) diags = diags.concat(extra(obj));
    if (diags.some((d) => d.severity === 'error')) return fail(index, id, version, describe(diags));
    if (type === undefined || id === '') return fail(index, id, version, 'schema-required: an object needs "type" and "id"');
    const row = toNewObject(obj, text);
    const verdict = runWritePolicy({ object: obj, text: row.json, principal: writer, policy }, checks);
    if (!verdict.ok) return fail(index, id, version, `${verdict.code}: ${verdict.message}`);
    if (pool === undefined) return void accepted.push({ index, object: obj, row });
    awaitingSignatures.push({ index, object: obj, row });
    chunk.push(row.json);
    if (chunk.length === VERIFY_CHUNK) handOver();
  });
  if (chunk.length > 0) handOver();
  const judged = (await Promise.all(verdicts)).flat();
  if (judged.length !== awaitingSignatures.length) {
    // never expected: a verdict missing here would otherwise be judged as nothing at all
    throw new Error(`the verification pool answered ${judged.length} verdicts for ${awaitingSignatures.length} objects`);
  }
  awaitingSignatures.forEach((a, i) => {
    const verdict = judgeSignatures(judged[i] as ObjectVerdict, writer);
    if (verdict.ok) accepted.push(a);
    else fail(a.index, a.row.id, versionOf(a.object), `${verdict.code}: ${verdict.message}`);
  });
  return { accepted, failures };
}

/** The rule a failure message names: messages start `objects/<n>: <code>...` (see checkObjects and storeRefusal). */
function reasonOf(message: string | undefined): string {
  const m = /^objects\/\d+: ([a-z][a-z0-9]*(?:-[a-z0-9]+)+)/.exec(message ?? '');
  return m?.[1] ?? 'refused';
}

/** Hands the outcome of a POST to `hooks.onWriteResult` (metrics, audit); a throwing hook is logged, never fatal. */
function reportWrite(
  ctx: CollectionContext,
  statusId: string,
  total: number,
  duplicates: number,
  added: readonly Record<string, unknown>[],
  failures: readonly { readonly detail: StatusDetails }[],
): void {
  const hook = ctx.state.hooks.onWriteResult;
  if (hook === undefined) return;
  try {
    hook({
      apiRoot: ctx.root.path,
      collectionId: ctx.collection.id,
      statusId,
      principal: ctx.principal.anonymous ? undefined : ctx.principal.name,
      total,
      added: added.map((o) => ({ id: str(o['id']) ?? '', version: versionOf(o) })),
      duplicates,
      refused: failures.map((f) => ({ id: f.detail.id, version: f.detail.version ?? '', reason: reasonOf(f.detail.message), message: f.detail.message ?? '' })),
    });
  } catch (err) {
    ctx.state.logger.error({ msg: 'onWriteResult hook failed', statusId, error: String(err) });
  }
}

/** Same id + version with different text: still a duplicate when both mean the same JSON (RFC 8785 canonical form). */
async function sameAsStored(ctx: CollectionContext, target: CollectionRef, row: NewObject): Promise<boolean> {
  const version = canonicalStixTimestamp(row.version);
  const versions = version === undefined ? ['all'] : [version];
  const page = await ctx.state.store.queryObjects(target, { ids: [row.id], versions, specVersions: [row.specVersion] }, 100);
  const mine = canonicalJson(JSON.parse(row.json) as unknown);
  return page.rows.some((r) => canonicalJson(JSON.parse(r.json) as unknown) === mine);
}

/**
 * The failure text for a version the store would not take (a conflict, or a versioning rule of lineage.ts). Its
 * reasons describe what the collection holds, so a principal that cannot read the collection gets one neutral
 * message for all of them: it learns that this version was not stored, never what else is there.
 */
function storeRefusal(ctx: CollectionContext, r: AddResult): string {
  if (!ctx.rights.canRead) {
    return 'version-refused: the collection cannot take this version of the object; only principals that may read the collection are told why';
  }
  if (r.refusal !== undefined) return `${r.refusal.code}: ${r.refusal.message}`;
  return `version-conflict: the collection already holds version ${r.version} of ${r.id} with different content; a changed object needs a new modified timestamp`;
}

/** Custom properties (TAXII §7.1) recording who may read a status back; stripped before it is served. */
export const STATUS_OWNER = 'x_distill_intel_owner';
export const STATUS_COLLECTION = 'x_distill_intel_collection';

function withOwner(status: Status, ctx: CollectionContext): Status {
  return { ...status, [STATUS_OWNER]: ctx.principal.name, [STATUS_COLLECTION]: ctx.collection.id } as Status;
}

/**
 * POST .../objects/ (§5.5). Accepts an envelope or a bare STIX bundle, validates every object, stores the valid ones
 * in one durable transaction, records the status, and answers 202 with a `complete` status (all work is done before
 * the answer, so nothing is ever left pending).
 */
export async function postObjects(ctx: CollectionContext, requestTime: Micros): Promise<TaxiiResponse> {
  if (!ctx.rights.canWrite) throw forbidden('you may read this collection but not write to it');
  assertContentType(ctx.req.header('content-type'));
  const limit = ctx.root.maxContentLength;
  const read = await readBodyWithin(ctx.req, limit);
  if (!read.ok) {
    if (read.reason === 'bad-length') throw new TaxiiError(400, 'Content-Length is not a number', { errorCode: 'bad-content-length' });
    throw new TaxiiError(413, `the body exceeds max_content_length (${limit} bytes) of this API root; split it into smaller envelopes`, {
      errorCode: 'payload-too-large',
      details: { max_content_length: limit },
    });
  }
  // Bodies are UTF-8 (TAXII §1.6.7); decoding anything else would silently replace bytes in stored text.
  if (!isUtf8(read.bytes)) {
    throw new TaxiiError(422, 'the body is not valid UTF-8', { errorCode: 'invalid-utf8' });
  }
  const spans = checkShape(read.bytes, ctx.state.maxObjectsPerEnvelope);
  const text = read.bytes.toString('utf8');
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    throw new TaxiiError(422, parsed.diagnostic?.message ?? 'the body is not valid JSON', { errorCode: 'invalid-json' });
  }
  const objects = objectsOf(parsed.value, ctx.state.maxObjectsPerEnvelope);
  // A status with total_count 0 reads as "not started yet" (§4.3.1), never as "done": an empty request gets no status.
  if (objects.length === 0) {
    throw new TaxiiError(422, 'the envelope holds no objects; there is nothing to add', { errorCode: 'empty-envelope' });
  }
  const { accepted, failures } = await checkObjects(ctx, objects, spans?.length === objects.length ? spans : undefined);
  const target: CollectionRef = { apiRoot: ctx.root.path, collectionId: ctx.collection.id };
  const results = accepted.length === 0 ? [] : await ctx.state.store.addObjects(target, accepted.map((a) => a.row));
  if (results.some((r) => r.outcome === 'added')) ctx.state.pageCache?.invalidate(collectionKey(target));

  const successes: { index: number; detail: StatusDetails }[] = [];
  const added: Record<string, unknown>[] = [];
  for (let i = 0; i < results.length; i++) {
    const r = results[i];
    const a = accepted[i];
    if (r === undefined || a === undefined) continue;
    const base = { id: r.id, version: r.version };
    if (r.outcome === 'added') {
      successes.push({ index: a.index, detail: base });
      added.push(a.object);
    } else if (r.outcome === 'refused' || !(r.outcome === 'duplicate' || (await sameAsStored(ctx, target, a.row)))) {
      failures.push({ index: a.index, detail: { ...base, message: `objects/${a.index}: ${storeRefusal(ctx, r)}` } });
    } else {
      // "already held" would tell a write-only principal what the collection holds
      successes.push({ index: a.index, detail: ctx.rights.canRead ? { ...base, message: 'already in the collection (exact duplicate)' } : base });
    }
  }
  const byIndex = (x: { index: number }, y: { index: number }): number => x.index - y.index;
  const status = buildStatus({
    id: randomUUID(),
    requestTimestamp: formatTaxiiTimestamp(requestTime),
    successes: successes.sort(byIndex).map((s) => s.detail),
    // The first failures in request order are listed; the count stays exact.
    failures: failures.sort(byIndex).slice(0, ctx.state.maxStatusFailures).map((f) => f.detail),
    failureCount: failures.length,
    totalCount: objects.length,
  });
  await ctx.state.store.putStatus(ctx.root.path, withOwner(status, ctx));
  reportWrite(ctx, status.id, objects.length, successes.length - added.length, added, failures);

  const hook = ctx.state.hooks.onObjectsAdded;
  if (hook !== undefined && added.length > 0) {
    try {
      await hook({
        apiRoot: ctx.root.path,
        collectionId: ctx.collection.id,
        statusId: status.id,
        principal: ctx.principal.anonymous ? undefined : ctx.principal.name,
        objects: added,
      });
    } catch (err) {
      ctx.state.logger.error({ msg: 'onObjectsAdded hook failed', statusId: status.id, error: String(err) });
    }
  }
  return json(202, status);
}

/**
 * DELETE .../objects/{object-id}/ (§5.7). Rights matrix: neither read nor write → 404 (decided by the caller: the
 * collection is hidden), exactly one → 403, both → delete.
 */
export async function deleteObject(ctx: CollectionContext): Promise<TaxiiResponse> {
  if (!(ctx.rights.canRead && ctx.rights.canWrite)) {
    throw forbidden('deleting needs both read and write access to the collection (TAXII §5.7)');
  }
  const parsed = parseQuery(ctx.query, 'delete');
  const filter: { -readonly [K in keyof DeleteFilter]: DeleteFilter[K] } = {};
  if (parsed.explicit.versions !== undefined) filter.versions = parsed.explicit.versions;
  if (parsed.explicit.specVersions !== undefined) filter.specVersions = parsed.explicit.specVersions;
  const target: CollectionRef = { apiRoot: ctx.root.path, collectionId: ctx.collection.id };
  const removed = await ctx.state.store.deleteObject(target, ctx.match.objectId as string, filter);
  if (removed > 0) ctx.state.pageCache?.invalidate(collectionKey(target));
  if (removed === 0) throw notFound('the object (or the requested versions of it)');
  return jsonText(200, undefined);
}
