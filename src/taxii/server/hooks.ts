import type { TaxiiHooks } from './config.js';

/**
 * Several {@link TaxiiHooks} as one: each event goes to every hook that takes it, in order. `onObjectsAdded` hooks
 * run one after the other (each may be async).
 */
export function combineHooks(...all: readonly (TaxiiHooks | undefined)[]): TaxiiHooks {
  const hooks = all.filter((h): h is TaxiiHooks => h !== undefined);
  const each = <K extends keyof TaxiiHooks>(key: K): NonNullable<TaxiiHooks[K]>[] =>
    hooks.map((h) => h[key]).filter((f): f is NonNullable<TaxiiHooks[K]> => f !== undefined);
  const requestDone = each('onRequestDone');
  const writeResult = each('onWriteResult');
  const security = each('onSecurityEvent');
  const added = each('onObjectsAdded');
  return {
    ...(requestDone.length > 0 ? { onRequestDone: (e) => requestDone.forEach((f) => f(e)) } : {}),
    ...(writeResult.length > 0 ? { onWriteResult: (e) => writeResult.forEach((f) => f(e)) } : {}),
    ...(security.length > 0 ? { onSecurityEvent: (e) => security.forEach((f) => f(e)) } : {}),
    ...(added.length > 0
      ? {
          onObjectsAdded: async (e) => {
            for (const f of added) await f(e);
          },
        }
      : {}),
  };
}
