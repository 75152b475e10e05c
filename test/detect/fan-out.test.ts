import { describe, expect, it } from '@jest/globals';
import { FanOutDetector } from '../../src/detect/fan-out.js';
import { feed, ids, req } from './records.js';

describe('fan-out detector', () => {
  it('reports an address or a card shared by three customers, not by three accounts of one org', () => {
    const d = new FanOutDetector();
    const table = feed(
      [
        req({ account_id: 'p1', client_ip: '198.51.100.9', payment_fingerprint: 'card-A' }),
        req({ account_id: 'p2', client_ip: '198.51.100.9', payment_fingerprint: 'card-A' }),
        req({ account_id: 'p3', client_ip: '198.51.100.9', payment_fingerprint: 'card-B' }),
        req({ account_id: 'o1', org_id: 'uni', client_ip: '192.0.2.1', payment_fingerprint: 'card-U' }),
        req({ account_id: 'o2', org_id: 'uni', client_ip: '192.0.2.1', payment_fingerprint: 'card-U' }),
        req({ account_id: 'o3', org_id: 'uni', client_ip: '192.0.2.1', payment_fingerprint: 'card-U' }),
      ],
      d,
    );
    const findings = d.finish(table);
    expect(findings.map((f) => [f.signal, f.key, ids(table, f.accounts)])).toEqual([['shared-ip', 'ip:198.51.100.9', ['p1', 'p2', 'p3']]]);
    expect(findings[0]?.evidence).toEqual({ ip: '198.51.100.9', accounts: 3, customers: 3 });
  });

  it('remembers at most the configured number of addresses per account', () => {
    const d = new FanOutDetector({ maxAddressesPerAccount: 2 });
    const records = ['1', '2', '3'].flatMap((n) => ['x', 'y', 'z'].map((a) => req({ account_id: a, client_ip: `203.0.113.${n}` })));
    const table = feed(records, d);
    // Each account keeps its first two addresses: .1 and .2 are shared by all three, .3 by none.
    expect(d.finish(table).map((f) => f.key)).toEqual(['ip:203.0.113.1', 'ip:203.0.113.2']);
  });

  it('indexes an account that alternates between addresses once per address, within its cap', () => {
    const d = new FanOutDetector({ maxAddressesPerAccount: 3 });
    // Each account goes back and forth (A B A B), back to an address two steps behind (C A C), then past its cap
    // (D is its fourth address) and back and forth across it (D C D): A, B and C are indexed for all three, D never.
    const path = ['A', 'B', 'A', 'B', 'C', 'A', 'C', 'D', 'C', 'D', 'B'];
    const records = path.flatMap((n) => ['x', 'y', 'z'].map((a) => req({ account_id: a, client_ip: `ip-${n}` })));
    const table = feed(records, d);
    const findings = d.finish(table);
    expect(findings.map((f) => [f.key, ids(table, f.accounts)])).toEqual([
      ['ip:ip-A', ['x', 'y', 'z']],
      ['ip:ip-B', ['x', 'y', 'z']],
      ['ip:ip-C', ['x', 'y', 'z']],
    ]);
  });
});
