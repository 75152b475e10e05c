import { describe, expect, it } from '@jest/globals';
import { LoginGate } from '../../../src/taxii/server/login-gate.js';
import type { LoginRefusal, LoginSlot } from '../../../src/taxii/server/login-gate.js';
import { RateLimiter } from '../../../src/taxii/server/rate-limit.js';

const isSlot = (x: LoginSlot | LoginRefusal): x is LoginSlot => 'release' in x;

async function fail(gate: LoginGate, address: string, user: string): Promise<LoginSlot | LoginRefusal> {
  const r = await gate.admit({ address, user });
  if (isSlot(r)) {
    r.release();
    gate.settle({ address, user }, false);
  }
  return r;
}

describe('LoginGate', () => {
  it('throttles a user name that keeps failing from one address, not other names from that address', async () => {
    const gate = new LoginGate({ userFailureBurst: 3, userFailuresPerMinute: 1 });
    for (let i = 0; i < 3; i++) expect(isSlot(await fail(gate, 'nat', 'alice'))).toBe(true);
    const refused = await gate.admit({ address: 'nat', user: 'alice' });
    expect(refused).toEqual({ reason: 'user-failures', retryAfterSeconds: 60 });
    // Same name from elsewhere, and another name from the same address, are still checked.
    expect(isSlot(await fail(gate, 'home', 'alice'))).toBe(true);
    const bob = await gate.admit({ address: 'nat', user: 'bob' });
    expect(isSlot(bob)).toBe(true);
  });

  it('refuses new names from an address over its failure rate, but not names that logged in from there before', async () => {
    const perAddress = new RateLimiter(0.001, 4);
    const gate = new LoginGate({}, perAddress);
    const ok = await gate.admit({ address: 'nat', user: 'carol' });
    if (isSlot(ok)) ok.release();
    gate.settle({ address: 'nat', user: 'carol' }, true);
    for (let i = 0; i < 4; i++) await fail(gate, 'nat', `spray-${i}`);
    expect(await gate.admit({ address: 'nat', user: 'dave' })).toMatchObject({ reason: 'address-failures' });
    expect(isSlot(await gate.admit({ address: 'nat', user: 'carol' }))).toBe(true);
  });

  it('caps verifications per address, and queues then refuses with busy when every slot is taken', async () => {
    const gate = new LoginGate({ concurrent: 1, queued: 1, queueTimeoutMs: 50, perAddress: 2 });
    const first = await gate.admit({ address: 'a', user: 'x' });
    expect(isSlot(first)).toBe(true);
    const queued = gate.admit({ address: 'a', user: 'y' });
    expect(gate.waiting).toBe(1);
    // Address a already has two under way.
    expect(await gate.admit({ address: 'a', user: 'z' })).toEqual({ reason: 'address-busy', retryAfterSeconds: 1 });
    // The queue (1) is full.
    expect(await gate.admit({ address: 'b', user: 'x' })).toMatchObject({ reason: 'busy' });
    // The queued one times out after 50 ms with busy and a whole-second Retry-After.
    expect(await queued).toEqual({ reason: 'busy', retryAfterSeconds: 1 });
    if (isSlot(first)) first.release();
    expect(gate.running).toBe(0);
    expect(isSlot(await gate.admit({ address: 'b', user: 'x' }))).toBe(true);
  });

  it('serves names that logged in from an address before ahead of the queue', async () => {
    const gate = new LoginGate({ concurrent: 1, queued: 10, queueTimeoutMs: 5_000, perAddress: 10 });
    gate.settle({ address: 'nat', user: 'carol' }, true);
    const holder = await gate.admit({ address: 'x', user: 'h' });
    const order: string[] = [];
    const later = [
      gate.admit({ address: 'y', user: 'stranger' }).then((s) => {
        order.push('stranger');
        if (isSlot(s)) s.release();
      }),
      gate.admit({ address: 'nat', user: 'carol' }).then((s) => {
        order.push('carol');
        if (isSlot(s)) s.release();
      }),
    ];
    if (isSlot(holder)) holder.release();
    await Promise.all(later);
    expect(order).toEqual(['carol', 'stranger']);
  });

  it('caps checks of one user name across addresses, and a trusted pair to one check at a time', async () => {
    const gate = new LoginGate({ perUser: 2, perAddress: 10, concurrent: 10 });
    const a = await gate.admit({ address: '10.0.0.1', user: 'alice' });
    const b = await gate.admit({ address: '10.0.0.2', user: 'alice' });
    expect([isSlot(a), isSlot(b)]).toEqual([true, true]);
    expect(await gate.admit({ address: '10.0.0.3', user: 'alice' })).toEqual({ reason: 'user-busy', retryAfterSeconds: 1 });
    expect(isSlot(await gate.admit({ address: '10.0.0.3', user: 'bob' }))).toBe(true);
    // alice has logged in from the NAT before: she is not held by the per-name cap, but checked one at a time there.
    gate.settle({ address: 'nat', user: 'alice' }, true);
    const trusted = await gate.admit({ address: 'nat', user: 'alice' });
    expect(isSlot(trusted)).toBe(true);
    expect(await gate.admit({ address: 'nat', user: 'alice' })).toEqual({ reason: 'user-busy', retryAfterSeconds: 1 });
    if (isSlot(trusted)) trusted.release();
    expect(isSlot(await gate.admit({ address: 'nat', user: 'alice' }))).toBe(true);
  });
});
