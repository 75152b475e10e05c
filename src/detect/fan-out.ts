import type { TelemetryRecord } from '../telemetry/record.js';
import { entityCount } from './accounts.js';
import type { AccountState, AccountTable } from './accounts.js';
import type { Detector, Finding } from './signals.js';

/**
 * Many customers behind one thing: a client address or a payment instrument used by accounts of at least
 * {@link FanOutOptions.minCustomers} different customers (accounts of one org count once, so a company's shared card
 * or a university's NAT address is not fan-out). ASNs and user agents are counted too, but only as context: a big
 * ISP or a popular SDK is behind thousands of unrelated customers.
 */
export interface FanOutOptions {
  /** Customers that must share an address or instrument (default 3). */
  readonly minCustomers?: number;
  /** Distinct addresses remembered per account (default 256): a rotating residential proxy must not fill memory. */
  readonly maxAddressesPerAccount?: number;
}

export class FanOutDetector implements Detector<AccountTable> {
  readonly name = 'fan-out';
  private readonly ips = new Map<string, Set<number>>();
  private readonly payments = new Map<string, Set<number>>();
  private readonly ipCount: number[] = [];
  /** Accounts per ASN and per user agent (context for campaign evidence). */
  readonly asnAccounts = new Map<string, number>();
  readonly agentAccounts = new Map<string, number>();
  /** Accounts seen with an ASN and with a user agent (their last values are kept on the account itself). */
  private readonly withAsn: AccountState[] = [];
  private readonly withAgent: AccountState[] = [];
  private readonly minCustomers: number;
  private readonly maxAddresses: number;

  constructor(options: FanOutOptions = {}) {
    this.minCustomers = options.minCustomers ?? 3;
    this.maxAddresses = options.maxAddressesPerAccount ?? 256;
  }

  add(r: TelemetryRecord, a: AccountState): void {
    const ip = r.client_ip;
    if (ip !== a.lastIp) {
      // Back to the address before: it was indexed then (or the account was past its cap, which never shrinks).
      const seen = ip === a.previousIp;
      a.previousIp = a.lastIp;
      a.lastIp = ip;
      if (!seen) {
        const n = this.ipCount[a.index] ?? 0;
        if (n < this.maxAddresses && index(this.ips, ip, a.index)) this.ipCount[a.index] = n + 1;
      }
    }
    if (r.payment_fingerprint !== undefined && r.payment_fingerprint !== a.lastPayment) {
      a.lastPayment = r.payment_fingerprint;
      index(this.payments, r.payment_fingerprint, a.index);
    }
    // Benign accounts move between networks all the time: a change costs two field writes, not map updates.
    if (r.asn !== undefined && r.asn !== a.lastAsn) {
      if (a.lastAsn === '') {
        this.asnAccounts.set(r.asn, (this.asnAccounts.get(r.asn) ?? 0) + 1);
        this.withAsn.push(a);
      }
      a.lastAsn = r.asn;
    }
    if (r.user_agent !== undefined && r.user_agent !== a.lastAgent) {
      if (a.lastAgent === '') {
        this.agentAccounts.set(r.user_agent, (this.agentAccounts.get(r.user_agent) ?? 0) + 1);
        this.withAgent.push(a);
      }
      a.lastAgent = r.user_agent;
    }
  }

  /** Each account's last ASN, by account index (built when asked: campaigns read it once reading is over). */
  get asnOf(): ReadonlyMap<number, string> {
    return new Map(this.withAsn.map((a) => [a.index, a.lastAsn]));
  }

  /** Each account's last user agent, by account index. */
  get agentOf(): ReadonlyMap<number, string> {
    return new Map(this.withAgent.map((a) => [a.index, a.lastAgent]));
  }

  finish(table: AccountTable): Finding[] {
    const out: Finding[] = [];
    const scan = (map: Map<string, Set<number>>, signal: 'shared-ip' | 'shared-payment', prefix: string) => {
      for (const [value, set] of map) {
        if (set.size < this.minCustomers) continue;
        const customers = entityCount(table, set);
        if (customers < this.minCustomers) continue;
        out.push({ signal, key: `${prefix}:${value}`, accounts: [...set], evidence: { [prefix]: value, accounts: set.size, customers } });
      }
    };
    scan(this.ips, 'shared-ip', 'ip');
    scan(this.payments, 'shared-payment', 'payment');
    return out;
  }
}

/** Adds `account` under `key`; true when it was not there. */
function index(map: Map<string, Set<number>>, key: string, account: number): boolean {
  let set = map.get(key);
  if (set === undefined) {
    set = new Set();
    map.set(key, set);
  }
  if (set.has(account)) return false;
  set.add(account);
  return true;
}
