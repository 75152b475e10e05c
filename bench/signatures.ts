/**
 * Signature benchmark. Run: `node --import ./bench/register.js bench/signatures.ts [--quick]`
 *
 * 1. Sign and verify throughput (objects/s on one core) for Ed25519 and ES256 with SHA-256, over the synthetic
 *    ~600-byte indicators of the server benchmarks: signObject, and verifyObject against a trust store.
 * 2. Server ingest of the same signed objects through the TAXII handler into SQLite (synchronous=FULL, 1,000-object
 *    envelopes): a collection with `requireSignatures: true` against a plain one. Both receive identical signed
 *    objects, so the difference is the verification step alone. Rounds alternate; medians are reported.
 *    Target: verification costs at most 25% of plain ingest throughput with Ed25519.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey } from '../src/provenance/keys.js';
import type { SignatureAlgorithm, SigningKey } from '../src/provenance/keys.js';
import { signObject } from '../src/provenance/sign.js';
import { TrustStore } from '../src/provenance/trust-store.js';
import { verifyObject } from '../src/provenance/verify.js';
import { createTaxiiHandler } from '../src/taxii/server/handler.js';
import { hashSecretSync } from '../src/taxii/server/secrets.js';
import { SqliteStore } from '../src/taxii/store/sqlite.js';
import { makeIndicator } from './indicators.js';

const quick = process.argv.includes('--quick');
const LAB = 'identity--5d7c6b1a-3e2f-4a9b-8c7d-1e2f3a4b5c6d';
const N = quick ? 2_000 : 10_000;
const ENVELOPE = 1_000;
const ROUNDS = quick ? 3 : 7;
const TAXII = 'application/taxii+json;version=2.1';
const AUTH = 'Basic ' + Buffer.from('bench:bench-password').toString('base64');
const PLAIN = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const SIGNED = '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function rate(count: number, ms: number): string {
  return `${Math.round((count / ms) * 1000).toLocaleString('en-US')} objects/s`;
}

function objects(count: number, offset: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => ({ ...makeIndicator(offset + i), created_by_ref: LAB }));
}

function trustFor(keys: SigningKey[]): TrustStore {
  return TrustStore.fromDocument({
    type: 'distill-intel-trust-store',
    version: 1,
    identities: [{ identity: LAB, keys: keys.map((k) => ({ algorithm: k.algorithm, public_key: k.publicKeyText })) }],
  });
}

function signVerify(algorithm: SignatureAlgorithm): void {
  const key = generateSigningKey(algorithm);
  const trust = trustFor([key]);
  const input = objects(N, 0);
  signObject(input[0] as Record<string, unknown>, key, { identity: LAB }); // warm up
  const signTimes: number[] = [];
  const verifyTimes: number[] = [];
  let signed: Record<string, unknown>[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let t = performance.now();
    signed = input.map((o) => signObject(o, key, { identity: LAB }));
    signTimes.push(performance.now() - t);
    t = performance.now();
    let trusted = 0;
    for (const o of signed) if (verifyObject(o, { trust }).trusted) trusted++;
    verifyTimes.push(performance.now() - t);
    if (trusted !== signed.length) throw new Error(`only ${trusted} of ${signed.length} verified`);
  }
  console.log(`  ${algorithm.padEnd(8)} sign ${rate(N, median(signTimes)).padStart(18)}   verify ${rate(N, median(verifyTimes)).padStart(18)}`);
}

async function ingest(): Promise<void> {
  const key = generateSigningKey('Ed25519');
  const trust = trustFor([key]);
  const dir = mkdtempSync(join(tmpdir(), 'di-bench-sign-'));
  const store = new SqliteStore({ filename: join(dir, 'bench.db') });
  const handler = createTaxiiHandler({
    store,
    apiRoots: [
      {
        path: 'api1',
        title: 'bench',
        maxContentLength: 64 * 1024 * 1024,
        collections: [
          { id: PLAIN, title: 'plain' },
          { id: SIGNED, title: 'signed', requireSignatures: true },
        ],
      },
    ],
    auth: { principals: [{ name: 'bench', passwordHash: hashSecretSync('bench-password'), canRead: ['*'], canWrite: ['*'], identities: [LAB] }] },
    limits: { maxObjectsPerEnvelope: ENVELOPE, rateLimit: { enabled: false } },
    trustStore: trust,
  });
  const post = async (collection: string, batch: Record<string, unknown>[]): Promise<void> => {
    const res = await handler(
      new Request(`http://bench/api1/collections/${collection}/objects/`, {
        method: 'POST',
        headers: { 'content-type': TAXII, accept: TAXII, authorization: AUTH },
        body: JSON.stringify({ objects: batch }),
      }),
    );
    const status = (await res.json()) as { success_count: number };
    if (status.success_count !== batch.length) throw new Error(`${collection}: ${JSON.stringify(status).slice(0, 400)}`);
  };
  const perRound = quick ? 5 : 10;
  const plainTimes: number[] = [];
  const signedTimes: number[] = [];
  let offset = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const batches = Array.from({ length: perRound }, () => {
      const b = objects(ENVELOPE, offset).map((o) => signObject(o, key, { identity: LAB }));
      offset += ENVELOPE;
      return b;
    });
    // the same signed objects go to both collections; the order alternates so neither always runs on a warmer store
    const order = r % 2 === 0 ? [PLAIN, SIGNED] : [SIGNED, PLAIN];
    for (const collection of order) {
      const t = performance.now();
      for (const b of batches) await post(collection, b);
      (collection === PLAIN ? plainTimes : signedTimes).push(performance.now() - t);
    }
  }
  const count = perRound * ENVELOPE;
  const plain = count / median(plainTimes);
  const signed = count / median(signedTimes);
  console.log(`  plain collection            ${rate(count, median(plainTimes)).padStart(18)}`);
  console.log(`  requireSignatures (Ed25519) ${rate(count, median(signedTimes)).padStart(18)}`);
  const cost = (1 - signed / plain) * 100;
  console.log(`  verification costs ${cost.toFixed(1)}% of plain ingest throughput (target: at most 25%) ${cost <= 25 ? 'MET' : 'NOT MET'}`);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

console.log(`Signatures benchmark (${N.toLocaleString('en-US')} indicators, ${ROUNDS} rounds, medians, one core)`);
console.log('1. sign (signObject) and verify (verifyObject against a trust store), SHA-256');
signVerify('Ed25519');
signVerify('ES256');
console.log(`2. server ingest through the TAXII handler into SQLite (synchronous=FULL, ${ENVELOPE.toLocaleString('en-US')}-object envelopes), same signed objects`);
await ingest();
