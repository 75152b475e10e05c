import { closeSync, createReadStream, openSync, readFileSync, writeSync } from 'node:fs';
import { formatLocation } from '../stix/location.js';
import { resolve } from 'node:path';
import { readStixObjects } from '../convert/stix-stream.js';
import { ProvenanceError } from '../provenance/errors.js';
import { HASH_ALGORITHMS, signingKeyFromPem } from '../provenance/keys.js';
import type { HashAlgorithm, SigningKey } from '../provenance/keys.js';
import { countersign, signObject } from '../provenance/sign.js';
import type { SignOptions } from '../provenance/sign.js';
import { EXIT, UsageError, parseOptions } from './io.js';
import type { CliIo } from './io.js';
import { objectLabel } from './trust-option.js';

/** `distill-intel sign --help`. */
export const SIGN_HELP = `Usage: distill-intel sign --key <name.key.pem> --identity <identity--uuid> [options] <files...|->

Signs STIX objects with an ITU-T X.590 (JSS) signature over their RFC 8785 canonical form, carried in the top-level
"signatures" property that the distill-intel signatures extension defines. Reads files or standard input in the
forms "validate" reads (objects, bundles, envelopes, arrays, NDJSON); writes one signed object a line (NDJSON).

Only the creator signs: an object whose created_by_ref names another identity is refused (a relay uses
--countersign). A new version made from a signed object must have its old signatures removed first.

Options:
  --key <file>          PKCS#8 PEM private key (from "keys generate"): Ed25519 or P-256 (ES256)
  --identity <id>       the identity the key speaks for (your objects' created_by_ref)
  --hash sha-256|sha-512  hash of the canonical form (default sha-256)
  --no-public-key       name the key by its RFC 7638 thumbprint only (verifiers need it in their trust store)
  --countersign         countersign each object's first signature instead (a hub relaying members' objects)
  --out <file>          write here instead of stdout
  -h, --help            show this help

Exit codes: 0 every object signed, 1 some object was refused or unreadable (reported on stderr; the rest is written),
2 usage error (or an unreadable key), 3 an input could not be read.
`;

/** Runs `distill-intel sign`. */
export async function runSign(argv: string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parseOptions({
    args: argv,
    allowPositionals: true,
    options: {
      key: { type: 'string' },
      identity: { type: 'string' },
      hash: { type: 'string', default: 'sha-256' },
      'no-public-key': { type: 'boolean', default: false },
      countersign: { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  if (v.key === undefined) throw new UsageError('--key is required');
  if (v.identity === undefined) throw new UsageError('--identity is required');
  if (!(HASH_ALGORITHMS as readonly string[]).includes(v.hash)) throw new UsageError(`--hash must be ${HASH_ALGORITHMS.join(' or ')}`);
  let key: SigningKey;
  try {
    key = signingKeyFromPem(readFileSync(resolve(io.cwd, v.key), 'utf8'), v.key);
  } catch (err) {
    throw new UsageError(`--key: ${err instanceof Error ? err.message : String(err)}`);
  }
  const options: SignOptions = { identity: v.identity, hash: v.hash as HashAlgorithm, ...(v['no-public-key'] === true ? { embedPublicKey: false } : {}) };
  // one line at a time, so memory stays flat however large the input
  const fd = v.out === undefined ? undefined : openSync(resolve(io.cwd, v.out), 'w');
  const emit = (line: string): void => {
    if (fd === undefined) io.stdout.write(line);
    else writeSync(fd, line);
  };
  try {
    return await signAll(positionals, io, v.countersign === true, key, options, emit);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

async function signAll(
  positionals: readonly string[],
  io: CliIo,
  counter: boolean,
  key: SigningKey,
  options: SignOptions,
  emit: (line: string) => void,
): Promise<number> {
  let signed = 0;
  let refused = 0;
  for (const name of positionals.length === 0 ? ['-'] : positionals) {
    const stream = name === '-' ? io.stdin : createReadStream(resolve(io.cwd, name));
    try {
      for await (const record of readStixObjects(stream as AsyncIterable<string | Uint8Array>)) {
        if (record.kind === 'error') {
          refused++;
          io.stderr.write(`distill-intel sign: unreadable ${formatLocation({ ...record, input: name })}: ${record.message}\n`);
          continue;
        }
        try {
          const result = counter ? countersign(record.object, key, options) : signObject(record.object, key, options);
          emit(JSON.stringify(result) + '\n');
          signed++;
        } catch (err) {
          if (!(err instanceof ProvenanceError)) throw err;
          if (err.code === 'SIGN_INPUT_INVALID' && err.path === '/identity') throw new UsageError(`--identity: ${err.message}`);
          refused++;
          io.stderr.write(`distill-intel sign: refused ${objectLabel(record.object)}: ${err.message}\n`);
        }
      }
    } catch (err) {
      if (err instanceof UsageError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      io.stderr.write(`distill-intel sign: ${name}: cannot read: ${code === 'ENOENT' ? 'no such file' : String(code ?? err)}\n`);
      return EXIT.failure;
    }
  }
  io.stderr.write(`signed: ${signed} object${signed === 1 ? '' : 's'}${refused > 0 ? `, ${refused} refused` : ''}\n`);
  return refused > 0 ? EXIT.findings : EXIT.ok;
}
