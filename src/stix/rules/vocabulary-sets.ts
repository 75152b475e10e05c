import { OPEN_VOCABULARIES } from '../vocab.js';

const VOCAB_SETS = new Map<string, ReadonlySet<string>>();

/** The values of an open vocabulary (§10) as a set, built on first use; undefined for a name that is not one. */
export function vocabSet(name: string): ReadonlySet<string> | undefined {
  let set = VOCAB_SETS.get(name);
  if (set === undefined) {
    const list = OPEN_VOCABULARIES[name];
    if (list === undefined) return undefined;
    set = new Set(list);
    VOCAB_SETS.set(name, set);
  }
  return set;
}
