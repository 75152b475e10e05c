/** The typed arrays growing tables use. */
export type GrowableArray = Uint8Array | Uint16Array | Int32Array | Float64Array;

/**
 * `larger` with `old`'s values at its start (the rest keeps what `larger` was filled with): one step of growing a
 * table kept in typed arrays.
 */
export function copiedInto<T extends GrowableArray>(larger: T, old: T): T {
  larger.set(old);
  return larger;
}
