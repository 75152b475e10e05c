import { describe, expect, it } from '@jest/globals';
import { AccountTable, entityCount } from '../../src/detect/accounts.js';
import { req } from './records.js';

describe('account table', () => {
  it('counts requests per model however an account switches between models, in order of first use', () => {
    const table = new AccountTable();
    // Back and forth between two models, a third now and then, a return to one three switches behind.
    const models = ['m-a', 'm-a', 'm-b', 'm-a', 'm-b', 'm-b', 'm-c', 'm-a', 'm-c', 'm-b', 'm-a', 'm-a'];
    for (const model of models) table.add(req({ account_id: 'acct', model }));
    const a = table.get(0);
    expect([...a.models]).toEqual([
      ['m-a', 6],
      ['m-b', 4],
      ['m-c', 2],
    ]);
    expect(a.requests).toBe(12);
    // Reading the counts changes nothing: counting goes on from where it was.
    table.add(req({ account_id: 'acct', model: 'm-c' }));
    expect([...table.get(0).models]).toEqual([
      ['m-a', 6],
      ['m-b', 4],
      ['m-c', 3],
    ]);
  });

  it('counts an empty model name like any other (the library takes records from any pipeline)', () => {
    const table = new AccountTable();
    for (const model of ['', '', 'm-a', '']) table.add(req({ account_id: 'acct', model }));
    expect([...table.get(0).models]).toEqual([
      ['', 3],
      ['m-a', 1],
    ]);
  });
});

describe('entityCount', () => {
  it('counts an org once however many of its accounts are listed, and each account without an org on its own', () => {
    const table = new AccountTable();
    // Org names that look like account indices must not be confused with them.
    for (const [id, org] of [
      ['a0', '1'],
      ['a1', undefined],
      ['a2', '1'],
      ['a3', undefined],
      ['a4', 'acme'],
    ] as const) {
      table.add(req({ account_id: id, ...(org === undefined ? {} : { org_id: org }) }));
    }
    expect(entityCount(table, [0, 1, 2, 3, 4])).toBe(4);
    expect(entityCount(table, [0, 2])).toBe(1);
    expect(entityCount(table, [1, 1, 3])).toBe(2);
    expect(entityCount(table, new Set([1, 0]))).toBe(2);
    expect(entityCount(table, [])).toBe(0);
  });
});
