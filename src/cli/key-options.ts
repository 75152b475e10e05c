import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { keyBytes } from '../distillation/pseudonym.js';
import type { PseudonymKey } from '../distillation/pseudonym.js';
import { DistillationInputError } from '../distillation/errors.js';
import { UsageError } from './io.js';
import type { CliIo } from './io.js';

/**
 * Pseudonym keys on the command line (`--key`, `--group-key`): `<keyId>:env:<VARIABLE>` (the secret from the
 * environment), `<keyId>:file:<path>` (the secret is the file's content, trailing newline removed), or
 * `<keyId>:<secret>` (visible to other local users through ps: prefer the two others). Messages never echo a secret.
 */

/** Help text for the key options. */
export const KEY_HELP = `Keys (<keyId>:env:<VAR>, <keyId>:file:<path> or <keyId>:<secret>; at least 16 bytes of secret):
  --key <spec>             the lab's sharing key (env DISTILL_INTEL_KEY holds a spec when the flag is absent)
  --group-key <spec>       a sharing group's key for identifiers correlated across labs (payment fingerprints,
                           prompt fingerprints); repeatable`;

/** Parses one key spec; `flag` names where it came from in messages. */
export function parseKeySpec(spec: string, flag: string, io: CliIo): PseudonymKey {
  const colon = spec.indexOf(':');
  if (colon <= 0) throw new UsageError(`${flag} must be <keyId>:env:<VAR>, <keyId>:file:<path> or <keyId>:<secret>`);
  const keyId = spec.slice(0, colon);
  const rest = spec.slice(colon + 1);
  let secret: string;
  if (rest.startsWith('env:')) {
    const name = rest.slice(4);
    const v = io.env[name];
    if (v === undefined || v === '') throw new UsageError(`${flag}: environment variable ${name} is not set`);
    secret = v;
  } else if (rest.startsWith('file:')) {
    const path = rest.slice(5);
    try {
      secret = readFileSync(resolve(io.cwd, path), 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      throw new UsageError(`${flag}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  } else {
    secret = rest;
  }
  const key = { keyId, key: secret };
  try {
    keyBytes(key, flag);
  } catch (err) {
    if (err instanceof DistillationInputError) throw new UsageError(err.message);
    throw err;
  }
  return key;
}

/** The keys of `--key` (or DISTILL_INTEL_KEY) and every `--group-key`; `--key` is required. */
export function parseKeyOptions(values: { key?: string | undefined; 'group-key'?: string[] | undefined }, io: CliIo): PseudonymKey[] {
  const main = values.key ?? io.env['DISTILL_INTEL_KEY'];
  if (main === undefined || main === '') throw new UsageError('--key is required (or DISTILL_INTEL_KEY)');
  const keys = [parseKeySpec(main, values.key === undefined ? 'DISTILL_INTEL_KEY' : '--key', io)];
  for (const g of values['group-key'] ?? []) keys.push(parseKeySpec(g, '--group-key', io));
  return keys;
}
