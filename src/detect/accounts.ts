import type { TelemetryRecord } from '../telemetry/record.js';

/** Running totals of one account. Memory per account is constant (a few maps bounded by the model count). */
export class AccountState {
  requests = 0;
  inputTokens = 0;
  outputTokens = 0;
  reasoningTokens = 0;
  first = Number.POSITIVE_INFINITY;
  last = Number.NEGATIVE_INFINITY;
  org: string | undefined;
  channel: string | undefined;
  created: number | undefined;
  /**
   * Requests per model, in boxes. Accounts switch between two or three models: the boxes of the current and the
   * previous model are kept at hand, so most switches cost no map lookup.
   */
  private readonly modelCounts = new Map<string, { n: number }>();
  private currentBox = { n: 0 };
  private previousBox = { n: 0 };
  /** Undefined before the first request (so that any name, even an empty one, is a switch). */
  private currentModel: string | undefined;
  private previousModel: string | undefined;
  /** Last values seen, so the fan-out index is touched only when a value changes ('' before the first). */
  lastIp = '';
  /**
   * The address before {@link lastIp} (undefined before there was one): accounts alternate between two addresses
   * (home and mobile) all the time.
   */
  previousIp: string | undefined;
  lastPayment = '';
  lastAsn = '';
  lastAgent = '';

  constructor(
    readonly index: number,
    readonly id: string,
  ) {}

  /** Requests per model. */
  get models(): ReadonlyMap<string, number> {
    const out = new Map<string, number>();
    for (const [model, box] of this.modelCounts) out.set(model, box.n);
    return out;
  }

  /** Counts one request to `model`. */
  countModel(model: string): void {
    if (model !== this.currentModel) {
      const current = this.currentBox;
      if (model === this.previousModel) this.currentBox = this.previousBox;
      else {
        let found = this.modelCounts.get(model);
        if (found === undefined) {
          found = { n: 0 };
          this.modelCounts.set(model, found);
        }
        this.currentBox = found;
      }
      this.previousBox = current;
      this.previousModel = this.currentModel;
      this.currentModel = model;
    }
    this.currentBox.n++;
  }

  /** The customer the account belongs to: its org when it has one (accounts of one org are one customer). */
  get entity(): string {
    return this.org === undefined ? `account:${this.id}` : `org:${this.org}`;
  }
}

/** Interns account ids and keeps each account's totals; detectors key their own state by the index. */
export class AccountTable {
  private readonly byId = new Map<string, AccountState>();
  readonly list: AccountState[] = [];

  /** The account of `r`, created on first sight, with the record's totals added. */
  add(r: TelemetryRecord): AccountState {
    let a = this.byId.get(r.account_id);
    if (a === undefined) {
      a = new AccountState(this.list.length, r.account_id);
      this.byId.set(r.account_id, a);
      this.list.push(a);
    }
    a.requests++;
    a.inputTokens += r.input_tokens;
    a.outputTokens += r.output_tokens;
    if (r.reasoning_tokens !== undefined) a.reasoningTokens += r.reasoning_tokens;
    const t = r.timestamp;
    if (t < a.first) a.first = t;
    if (t > a.last) a.last = t;
    // Written only on change: these values are the same on nearly every request of an account, and storing a time
    // into a field that may also hold undefined boxes a fresh number each time.
    if (r.org_id !== undefined && r.org_id !== a.org) a.org = r.org_id;
    if (r.signup_channel !== undefined && r.signup_channel !== a.channel) a.channel = r.signup_channel;
    if (r.account_created !== undefined && r.account_created !== a.created) a.created = r.account_created;
    a.countModel(r.model);
    return a;
  }

  get(index: number): AccountState {
    return this.list[index] as AccountState;
  }

  get size(): number {
    return this.list.length;
  }
}

/** Distinct customers (orgs, or accounts without one) among `accounts`. */
export function entityCount(table: AccountTable, accounts: Iterable<number>): number {
  // An org by its name, an account without one by its index (a number never equals a name): what `entity` tells
  // apart, without building a string per account.
  const set = new Set<string | number>();
  for (const i of accounts) set.add(table.get(i).org ?? i);
  return set.size;
}
