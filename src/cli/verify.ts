import { createReadStream } from 'node:fs';
import { formatLocation } from '../stix/location.js';
import { resolve } from 'node:path';
import { readStixObjects } from '../convert/stix-stream.js';
import { verifyObject } from '../provenance/verify.js';
import { EXIT, UsageError, parseOptions } from './io.js';
import type { CliIo } from './io.js';
import { objectLabel, trustOption, verdictLine } from './trust-option.js';

/** `distill-intel verify --help`. */
export const VERIFY_HELP = `Usage: distill-intel verify --trust <trust.json> [options] <files...|->

Verifies the X.590 signatures of STIX objects against a trust store: an object is trusted when one of its signatures
verifies with a key the store binds to the object's created_by_ref (for an object without one, to any identity) and
that key was in force when the signature was made. Countersignatures are checked and shown too.

Prints one line an object:
  trusted <id> <version> by <identity> key <key id>
  untrusted <id> <version>: <reason>: <message>
where reason is unsigned, malformed, unsupported-algorithm, content-changed, bad-signature, unknown-key,
key-not-yet-valid, key-expired, key-revoked, signee-mismatch, signer-not-creator or signature-time-invalid.
(--format json prints one JSON verdict a line.)

Options:
  --trust <file>        the trust store (see "keys trust"); without it nothing is trusted
  --format text|json    output format (default text)
  -h, --help            show this help

Exit codes: 0 every object trusted, 1 some object was not (or was unreadable), 2 usage error, 3 an input could not be read.
`;

/** Runs `distill-intel verify`. */
export async function runVerify(argv: string[], io: CliIo): Promise<number> {
  const { values: v, positionals } = parseOptions({
    args: argv,
    allowPositionals: true,
    options: { trust: { type: 'string' }, format: { type: 'string', default: 'text' } },
  });
  if (v.format !== 'text' && v.format !== 'json') throw new UsageError(`--format must be text or json, not '${v.format}'`);
  const trust = trustOption(v.trust, io);
  let trusted = 0;
  let untrusted = 0;
  for (const name of positionals.length === 0 ? ['-'] : positionals) {
    const stream = name === '-' ? io.stdin : createReadStream(resolve(io.cwd, name));
    try {
      for await (const record of readStixObjects(stream as AsyncIterable<string | Uint8Array>)) {
        if (record.kind === 'error') {
          untrusted++;
          io.stdout.write(v.format === 'json' ? JSON.stringify({ input: formatLocation({ ...record, input: name }), trusted: false, reason: 'unreadable', message: record.message }) + '\n' : `unreadable ${formatLocation({ ...record, input: name })}: ${record.message}\n`);
          continue;
        }
        const verdict = verifyObject(record.object, trust === undefined ? {} : { trust });
        if (verdict.trusted) trusted++;
        else untrusted++;
        if (v.format === 'json') io.stdout.write(JSON.stringify({ id: record.object['id'], ...verdict }) + '\n');
        else if (verdict.trusted) io.stdout.write(`trusted ${objectLabel(record.object)} by ${verdict.signer ?? ''} key ${verdict.keyId ?? ''}\n`);
        else io.stdout.write(`untrusted ${verdictLine(record.object, verdict)}\n`);
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      io.stderr.write(`distill-intel verify: ${name}: cannot read: ${code === 'ENOENT' ? 'no such file' : String(code ?? err)}\n`);
      return EXIT.failure;
    }
  }
  io.stderr.write(`verified: ${trusted} trusted, ${untrusted} not\n`);
  return untrusted > 0 ? EXIT.findings : EXIT.ok;
}
