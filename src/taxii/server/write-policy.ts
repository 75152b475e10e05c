/**
 * The per-object write policy of the TAXII server: a short, ordered list of checks that every object of a POST
 * passes after STIX validation and before the store sees it. Each check looks at one object (parsed and as text),
 * the principal writing it and the collection's policy, and either accepts or refuses with a code and a message.
 * The first refusal wins and becomes that object's failure in the status; the other objects are unaffected.
 *
 * Checks here are stateless: they never consult the store, so their messages cannot reveal what a collection holds.
 * Rules that depend on the versions already held (`created` and `created_by_ref` kept, nothing after a revoked
 * version) are enforced by the store inside its write transaction (see `store/lineage.ts`), where a concurrent
 * writer cannot slip between the check and the insert.
 */

import type { TrustStore } from '../../provenance/trust-store.js';

/** What a collection does with objects that carry no `created_by_ref` when it requires producers. */
export type UnattributedPolicy = 'refuse' | 'allow-scos' | 'allow';

/** The write policy of one collection, from its configuration with defaults filled in. */
export interface CollectionWritePolicy {
  /**
   * Objects must name their producer: `created_by_ref` must be one of the writing principal's identities (or one it
   * relays for). With the store's rule that `created_by_ref` never changes between versions, this also means a new
   * version comes only from a principal bound to the object's creator.
   */
  readonly requireProducer: boolean;
  /** Objects without `created_by_ref` under {@link requireProducer} (default `allow-scos`). */
  readonly unattributed: UnattributedPolicy;
  /**
   * `requireSignatures`: the trust store objects are verified against (absent: signatures are not required). Every
   * object must carry an X.590 signature by its `created_by_ref` (for an SCO, by any trusted identity) with a key
   * the store binds to that identity, in force when it signed; and the writer must be bound to (or relay for) the signer.
   */
  readonly signatures?: TrustStore;
}

/** The producer identities a principal is bound to, from its configuration. */
export interface ProducerBinding {
  /** Identities (`identity--...`) the principal publishes as. */
  readonly identities: ReadonlySet<string>;
  /** Identities whose objects the principal may re-publish (a relay, e.g. a hub); `any` for every producer. */
  readonly relayFor: ReadonlySet<string> | 'any';
}

/** The principal as the checks see it. */
export interface WritingPrincipal {
  /** Principal name (`''` when anonymous). */
  readonly name: string;
  readonly anonymous: boolean;
  readonly binding: ProducerBinding;
}

/** One object on its way into a collection. */
export interface WriteSubject {
  /** The object, parsed and already valid STIX (it has a string `type` and `id`). */
  readonly object: Readonly<Record<string, unknown>>;
  /** The exact text that will be stored and served. */
  readonly text: string;
  readonly principal: WritingPrincipal;
  readonly policy: CollectionWritePolicy;
}

/** A check's answer: accept, or refuse with a stable kebab-case `code` and a message for the writer. */
export type WriteVerdict = { readonly ok: true } | WriteRefusal;

/** A refusal; `message` says what was wrong and how to fix it, without the code. */
export interface WriteRefusal {
  readonly ok: false;
  readonly code: string;
  readonly message: string;
}

/** One step of the pipeline. `name` appears in logs and docs. */
export interface WriteCheck {
  readonly name: string;
  check(subject: WriteSubject): WriteVerdict;
}

/** The verdict that lets an object through. */
export const ACCEPT: WriteVerdict = Object.freeze({ ok: true });

/** A refusal with `code` and `message`. */
export function refuse(code: string, message: string): WriteRefusal {
  return { ok: false, code, message };
}

/** Runs `checks` in order; the first refusal is the verdict, else {@link ACCEPT}. */
export function runWritePolicy(subject: WriteSubject, checks: readonly WriteCheck[]): WriteVerdict {
  for (const c of checks) {
    const verdict = c.check(subject);
    if (!verdict.ok) return verdict;
  }
  return ACCEPT;
}

/** The policy of a collection without any producer requirement. */
export const OPEN_POLICY: CollectionWritePolicy = Object.freeze({ requireProducer: false, unattributed: 'allow-scos' });

/** A principal bound to no identity and relaying for nobody (anonymous writers, unconfigured principals). */
export const UNBOUND: ProducerBinding = Object.freeze({ identities: new Set<string>(), relayFor: new Set<string>() });

/** The policy a collection's configuration asks for, defaults filled in. */
export function writePolicyOf(
  config: { readonly requireProducer?: boolean; readonly unattributed?: UnattributedPolicy; readonly requireSignatures?: boolean },
  trust?: TrustStore,
): CollectionWritePolicy {
  return {
    requireProducer: config.requireProducer === true,
    unattributed: config.unattributed ?? 'allow-scos',
    ...(config.requireSignatures === true && trust !== undefined ? { signatures: trust } : {}),
  };
}

/** The binding a principal's configuration declares (`relayFor: ["*"]` relays for every producer). */
export function bindingOf(config: { readonly identities?: readonly string[]; readonly relayFor?: readonly string[] }): ProducerBinding {
  const relay = config.relayFor ?? [];
  return {
    identities: new Set(config.identities ?? []),
    relayFor: relay.includes('*') ? 'any' : new Set(relay),
  };
}
