import { randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { hashSecret, randomSecret } from '../taxii/server/secrets.js';
import {
  freshServerState,
  principalNameProblem,
  readServerState,
  saveServerState,
  stateFileFor,
  type PersistedServerState,
  type StoredPrincipal,
} from '../taxii/server/server-state-file.js';
import { EXIT, parseOptions, UsageError, type CliIo } from './io.js';
import { readSecret } from './secret-input.js';

export const USERS_HELP = `Usage: distill-intel users <action> [name] [options]

Manages the principals and API keys that \`distill-intel serve\` keeps in its state file (<db>.server.json, mode 0600)
for a start without principals in a config file or --user. Passwords and keys are stored as scrypt hashes only;
generated ones are printed once. Restart the server to apply a change.

Actions:
  list                     List principals (the generated admin included), their rights and API key ids.
  add <name>               Add a principal with a generated password (or --password-stdin).
  remove <name>            Remove a principal and its API keys ("admin": a new admin password is generated on the
                           next start when no other principal remains).
  reset <name>             Give a principal a new generated password (or --password-stdin); "admin" included.
  add-key <name>           Create an API key for a principal (sent as "Authorization: Bearer <key>"); printed once.
  remove-key <name> <id>   Revoke one API key by its id (see list).

Options:
  --db <path>              SQLite database of the server (default ./distill-intel.db); the state file is beside it.
  --config <file>          Take the database path from this serve config file ("db").
  --read <selector>        (add) Collections the principal may read: "*", "<root>/*", "<root>/<id or alias>" or
                           "<id or alias>". Repeatable. Default "*".
  --write <selector>       (add) Collections the principal may write. Repeatable. Default "*" when neither --read nor
                           --write is given, else none.
  --password-stdin         (add, reset) Read the password from a prompt (no echo) or the first line of stdin.
  -h, --help               Show this help and exit.

Exit codes: 0 done, 1 no such principal or key, 2 usage error, 3 the state file cannot be read or written.`;

const ACTIONS = ['list', 'add', 'remove', 'reset', 'add-key', 'remove-key'] as const;
type Action = (typeof ACTIONS)[number];

function stateFileOf(db: string | undefined, config: string | undefined, cwd: string): string {
  if (db !== undefined && config !== undefined) throw new UsageError('give --db or --config, not both');
  let path = resolve(cwd, db ?? './distill-intel.db');
  if (config !== undefined) {
    const file = JSON.parse(readFileSync(resolve(cwd, config), 'utf8')) as { db?: unknown; store?: unknown };
    if (file.store === 'postgres') {
      throw new UsageError('this server uses PostgreSQL: its principals belong in the config file (hash secrets with `distill-intel serve --hash-secret`)');
    }
    path = resolve(dirname(resolve(cwd, config)), typeof file.db === 'string' ? file.db : './distill-intel.db');
  }
  const state = stateFileFor(path);
  if (state === undefined) throw new UsageError('an in-memory database keeps no state file');
  return state;
}

function describe(p: StoredPrincipal): string {
  const keys = p.apiKeys.length === 0 ? 'no API keys' : `API keys ${p.apiKeys.map((k) => k.id).join(', ')}`;
  const write = p.canWrite.length === 0 ? '(none)' : p.canWrite.join(' ');
  return `${p.name}  read ${p.canRead.join(' ') || '(none)'}  write ${write}  ${p.passwordHash !== undefined ? 'password' : 'no password'}, ${keys}`;
}

/** `distill-intel users`: list, add, remove and reset principals and API keys in a server's state file. */
export async function runUsers(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions({
    args: argv,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      config: { type: 'string' },
      read: { type: 'string', multiple: true },
      write: { type: 'string', multiple: true },
      'password-stdin': { type: 'boolean' },
    },
  });
  const [actionRaw, name, keyId, ...extra] = positionals;
  if (actionRaw === undefined) throw new UsageError(`an action is needed: ${ACTIONS.join(', ')}`);
  if (!(ACTIONS as readonly string[]).includes(actionRaw)) throw new UsageError(`unknown action "${actionRaw}" (one of ${ACTIONS.join(', ')})`);
  const action = actionRaw as Action;
  const needs = action === 'list' ? 0 : action === 'remove-key' ? 2 : 1;
  const given = [name, keyId].filter((v) => v !== undefined).length;
  if (given !== needs || extra.length > 0) {
    throw new UsageError(needs === 0 ? 'list takes no name' : `${action} needs ${needs === 2 ? 'a name and a key id' : 'a user name'}`);
  }
  if ((values.read !== undefined || values.write !== undefined) && action !== 'add') throw new UsageError('--read and --write go with add');
  if (values['password-stdin'] === true && action !== 'add' && action !== 'reset') throw new UsageError('--password-stdin goes with add or reset');
  const file = stateFileOf(values.db, values.config, io.cwd);

  let state: PersistedServerState;
  try {
    state = readServerState(file) ?? freshServerState();
  } catch (err) {
    io.stderr.write(`distill-intel users: ${(err as Error).message}\n`);
    return EXIT.failure;
  }
  const principals = [...(state.principals ?? [])];
  const index = name === undefined ? -1 : principals.findIndex((p) => p.name === name);
  const isAdmin = name === 'admin' && index === -1;
  const missing = (): number => {
    io.stderr.write(`distill-intel users: no principal "${name ?? ''}" in ${file} (see distill-intel users list)\n`);
    return EXIT.findings;
  };
  const password = async (): Promise<{ hash: string; shown?: string }> => {
    if (values['password-stdin'] === true) return { hash: await hashSecret(await readSecret({ stdin: io.stdin, stderr: io.stderr }, 'New password: ')) };
    const shown = randomSecret(18);
    return { hash: await hashSecret(shown), shown };
  };
  const save = (next: PersistedServerState): void => {
    const { principals: _old, ...rest } = next;
    saveServerState(file, principals.length > 0 ? { ...rest, principals } : rest);
  };
  const restart = 'Restart the server to apply.';

  switch (action) {
    case 'list': {
      if (state.adminPasswordHash !== undefined) io.stdout.write('admin  read *  write *  password (generated on first start), no API keys\n');
      for (const p of principals) io.stdout.write(describe(p) + '\n');
      if (state.adminPasswordHash === undefined && principals.length === 0) io.stdout.write(`no principals in ${file}\n`);
      return EXIT.ok;
    }
    case 'add': {
      const who = name as string;
      const problem = principalNameProblem(who);
      if (problem !== undefined) throw new UsageError(problem);
      if (index !== -1 || (who === 'admin' && state.adminPasswordHash !== undefined)) {
        io.stderr.write(`distill-intel users: "${who}" already exists (use reset to change its password)\n`);
        return EXIT.findings;
      }
      const bothAbsent = values.read === undefined && values.write === undefined;
      const pw = await password();
      principals.push({
        name: who,
        passwordHash: pw.hash,
        apiKeys: [],
        canRead: values.read ?? ['*'],
        canWrite: values.write ?? (bothAbsent ? ['*'] : []),
        created: new Date().toISOString(),
      });
      save(state);
      io.stdout.write(`Added "${who}" to ${file}.${pw.shown !== undefined ? `\n  password: ${pw.shown}  (shown once)` : ''}\n${restart}\n`);
      return EXIT.ok;
    }
    case 'remove': {
      if (isAdmin) {
        if (state.adminPasswordHash === undefined) return missing();
        const { adminPasswordHash: _gone, ...rest } = state;
        save(rest);
      } else {
        if (index === -1) return missing();
        principals.splice(index, 1);
        save(state);
      }
      io.stdout.write(`Removed "${name as string}" from ${file}. ${restart}\n`);
      return EXIT.ok;
    }
    case 'reset': {
      if (index === -1 && !isAdmin) return missing();
      const pw = await password();
      if (isAdmin) save({ ...state, adminPasswordHash: pw.hash });
      else {
        principals[index] = { ...(principals[index] as StoredPrincipal), passwordHash: pw.hash };
        save(state);
      }
      io.stdout.write(`New password for "${name as string}" stored in ${file}.${pw.shown !== undefined ? `\n  password: ${pw.shown}  (shown once)` : ''}\n${restart}\n`);
      return EXIT.ok;
    }
    case 'add-key': {
      if (index === -1) {
        if (isAdmin) io.stderr.write('distill-intel users: the generated admin has no API keys; add a principal of your own for keys\n');
        return isAdmin ? EXIT.findings : missing();
      }
      const key = `dik_${randomSecret(24)}`;
      const id = randomUUID().slice(0, 8);
      const p = principals[index] as StoredPrincipal;
      principals[index] = { ...p, apiKeys: [...p.apiKeys, { id, hash: await hashSecret(key), created: new Date().toISOString() }] };
      save(state);
      io.stdout.write(`API key ${id} for "${p.name}" (shown once; send it as "Authorization: Bearer <key>"):\n  ${key}\n${restart}\n`);
      return EXIT.ok;
    }
    case 'remove-key': {
      if (index === -1) return missing();
      const p = principals[index] as StoredPrincipal;
      if (!p.apiKeys.some((k) => k.id === keyId)) {
        io.stderr.write(`distill-intel users: "${p.name}" has no API key ${keyId as string}\n`);
        return EXIT.findings;
      }
      principals[index] = { ...p, apiKeys: p.apiKeys.filter((k) => k.id !== keyId) };
      save(state);
      io.stdout.write(`Revoked API key ${keyId as string} of "${p.name}". ${restart}\n`);
      return EXIT.ok;
    }
  }
}
