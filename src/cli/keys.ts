import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ProvenanceError } from '../provenance/errors.js';
import { generateSigningKey, privateKeyPem, SIGNATURE_ALGORITHMS } from '../provenance/keys.js';
import type { SignatureAlgorithm } from '../provenance/keys.js';
import { addTrustEntry, emptyTrustStore, publicKeyEntry, revokeTrustedKey } from '../provenance/trust-store-edits.js';
import type { RevocationReason, TrustStoreDocument } from '../provenance/trust-store.js';
import { now } from '../stix/timestamps.js';
import { EXIT, UsageError, parseOptions } from './io.js';
import type { CliIo } from './io.js';

/** `distill-intel keys --help`. */
export const KEYS_HELP = `Usage: distill-intel keys generate --identity <identity--uuid> --out <name> [--algorithm Ed25519|ES256] [--name <text>]
       distill-intel keys trust add --store <trust.json> <name.pub.json...>
       distill-intel keys trust revoke --store <trust.json> --key-id <id> [--at <timestamp>] [--reason compromised|superseded|withdrawn]

Signing keys and the trust store that says which keys speak for which producer identity.

generate   writes <name>.key.pem (the PKCS#8 private key, mode 0600: keep it secret) and <name>.pub.json (the
           trust-store entry to hand to the labs and hubs that verify you: identity, key id, public key, valid_from).
           Prints the key id (RFC 7638 thumbprint). Refuses to overwrite existing files.
trust add  adds the keys of published entries to a trust store (created when missing); adding twice changes nothing.
trust revoke
           marks a key revoked from --at on (default now): signatures dated earlier stay valid, later ones are refused.
           Use the earliest instant the key may have leaked, --reason compromised; for a routine rotation use
           --reason superseded at the instant the successor took over.

Options:
  --algorithm <a>     Ed25519 (default) or ES256
  -h, --help          show this help

Exit codes: 0 done, 2 usage error (or a trust store that does not load), 3 a file could not be written.
`;

const REASONS: readonly RevocationReason[] = ['compromised', 'superseded', 'withdrawn'];

function readStore(path: string, mustExist: boolean): TrustStoreDocument {
  if (!existsSync(path)) {
    if (mustExist) throw new UsageError(`--store ${path}: no such file`);
    return emptyTrustStore();
  }
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as TrustStoreDocument;
  } catch (err) {
    throw new UsageError(`--store ${path}: not JSON: ${(err as Error).message}`);
  }
}

function edit(action: () => TrustStoreDocument, path: string): void {
  let doc: TrustStoreDocument;
  try {
    doc = action();
  } catch (err) {
    if (err instanceof ProvenanceError) throw new UsageError(err.message);
    throw err;
  }
  writeFileSync(path, JSON.stringify(doc, null, 2) + '\n');
}

function generate(argv: string[], io: CliIo): number {
  const { values: v } = parseOptions({
    args: argv,
    options: { identity: { type: 'string' }, out: { type: 'string' }, algorithm: { type: 'string', default: 'Ed25519' }, name: { type: 'string' } },
  });
  if (v.identity === undefined) throw new UsageError('--identity is required: the identity--<uuid> your objects carry as created_by_ref');
  if (v.out === undefined) throw new UsageError('--out is required: the file name stem for <name>.key.pem and <name>.pub.json');
  if (!(SIGNATURE_ALGORITHMS as readonly string[]).includes(v.algorithm)) throw new UsageError(`--algorithm must be ${SIGNATURE_ALGORITHMS.join(' or ')}`);
  const keyPath = resolve(io.cwd, `${v.out}.key.pem`);
  const pubPath = resolve(io.cwd, `${v.out}.pub.json`);
  for (const p of [keyPath, pubPath]) if (existsSync(p)) throw new UsageError(`${p} exists; choose another --out (keys are never overwritten)`);
  const key = generateSigningKey(v.algorithm as SignatureAlgorithm);
  let entry;
  try {
    entry = publicKeyEntry(v.identity, key, now(), v.name);
  } catch (err) {
    if (err instanceof ProvenanceError) throw new UsageError(`--identity: ${err.message}`);
    throw err;
  }
  writeFileSync(keyPath, privateKeyPem(key), { mode: 0o600, flag: 'wx' });
  writeFileSync(pubPath, JSON.stringify(entry, null, 2) + '\n', { flag: 'wx' });
  io.stdout.write(`key ${key.keyId} (${key.algorithm}) for ${v.identity}\nprivate key: ${keyPath}\ntrust entry: ${pubPath}\n`);
  return EXIT.ok;
}

function trust(argv: string[], io: CliIo): number {
  const [action, ...rest] = argv;
  if (action === 'add') {
    const { values: v, positionals } = parseOptions({ args: rest, allowPositionals: true, options: { store: { type: 'string' } } });
    if (v.store === undefined) throw new UsageError('--store is required');
    if (positionals.length === 0) throw new UsageError('name at least one <name>.pub.json to add');
    const path = resolve(io.cwd, v.store);
    let doc = readStore(path, false);
    for (const file of positionals) {
      let entry: unknown;
      try {
        entry = JSON.parse(readFileSync(resolve(io.cwd, file), 'utf8'));
      } catch (err) {
        throw new UsageError(`${file}: ${(err as Error).message}`);
      }
      const before = doc;
      edit(() => (doc = addTrustEntry(before, entry)), path);
    }
    io.stdout.write(`trust store ${path}: ${doc.identities.length} identities, ${doc.identities.reduce((n, i) => n + i.keys.length, 0)} keys\n`);
    return EXIT.ok;
  }
  if (action === 'revoke') {
    const { values: v } = parseOptions({ args: rest, options: { store: { type: 'string' }, 'key-id': { type: 'string' }, at: { type: 'string' }, reason: { type: 'string', default: 'compromised' } } });
    if (v.store === undefined || v['key-id'] === undefined) throw new UsageError('--store and --key-id are required');
    if (!REASONS.includes(v.reason as RevocationReason)) throw new UsageError(`--reason must be one of ${REASONS.join(', ')}`);
    const path = resolve(io.cwd, v.store);
    const doc = readStore(path, true);
    const at = v.at ?? now();
    edit(() => revokeTrustedKey(doc, v['key-id'] as string, at, v.reason as RevocationReason), path);
    io.stdout.write(`key ${v['key-id']} revoked from ${at} (${v.reason})\n`);
    return EXIT.ok;
  }
  throw new UsageError(`keys trust takes add or revoke, not '${action ?? ''}'`);
}

/** Runs `distill-intel keys`. */
export async function runKeys(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'generate') return generate(rest, io);
  if (sub === 'trust') return trust(rest, io);
  throw new UsageError(`keys takes generate or trust, not '${sub ?? ''}'`);
}
