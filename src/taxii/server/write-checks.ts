import { canonicalJson } from '../../stix/canonical-json.js';
import { deterministicScoId, idContributingProperties, parseIdentifier } from '../../stix/ids.js';
import { TLP1, TLP2, TLP2_EXTENSION_DEFINITION } from '../../stix/markings.js';
import { kindOf } from '../../stix/rules/object-kinds.js';
import { verifyObject } from '../../provenance/verify.js';
import type { ObjectVerdict } from '../../provenance/verify.js';
import { ACCEPT, refuse } from './write-policy.js';
import type { WriteCheck, WriteSubject, WriteVerdict, WritingPrincipal } from './write-policy.js';

/**
 * The checks of the write policy (see write-policy.ts), in the order the server runs them. Cheap, always-on
 * checks come first; checks that a collection turns on follow.
 */

function isSco(object: Readonly<Record<string, unknown>>): boolean {
  return kindOf(object, object['type'] as string) === 'sco';
}

/**
 * §2.9: an SCO with a UUIDv5 id claims the deterministic id of its ID-contributing properties. Anything else is
 * squatting: a different object parked under the id that the genuine one will need (the genuine object would then
 * collide with it). The validator only warns about this (a SHOULD for producers); a shared server refuses it.
 * Types whose contributing properties the server does not know (an unregistered `new-sco` extension) cannot be
 * checked and pass.
 */
export const deterministicScoIdCheck: WriteCheck = {
  name: 'deterministic-sco-id',
  check({ object }: WriteSubject): WriteVerdict {
    const id = object['id'] as string;
    const parsed = parseIdentifier(id);
    if (parsed === undefined || parsed.uuidVersion !== 5 || !isSco(object)) return ACCEPT;
    const expected = deterministicScoId(object as { readonly type: string } & Readonly<Record<string, unknown>>);
    if (expected === undefined || expected === id.toLowerCase()) return ACCEPT;
    const props = idContributingProperties(parsed.type) ?? [];
    return refuse(
      'sco-id-not-deterministic',
      `id ${id} is a UUIDv5 but not the deterministic id of this object's ID-contributing properties ` +
        `(${props.join(', ')}), which is ${expected} (STIX 2.1 §2.9); send it under that id, or under a UUIDv4`,
    );
  },
};

/**
 * Objects the STIX and TLP specifications publish themselves (the TLP 1.0 and 2.0 marking definitions and the TLP 2.0
 * extension definition), by canonical form: every lab marks its objects with them, and nobody can be bound to their
 * creator, so they pass the producer check exactly as published and only so.
 */
const PUBLISHED = new Set<string | undefined>(
  [...Object.values(TLP1), ...Object.values(TLP2), TLP2_EXTENSION_DEFINITION].map((o) => canonicalJson(o)),
);

function isPublishedDefinition(object: Readonly<Record<string, unknown>>): boolean {
  const type = object['type'];
  return (type === 'marking-definition' || type === 'extension-definition') && PUBLISHED.has(canonicalJson(object));
}

/**
 * `requireProducer`: the object's `created_by_ref` must be an identity the writer is bound to or relays for.
 * Objects without `created_by_ref` follow the collection's `unattributed` policy (SCOs have no such property); the
 * published TLP definitions always pass.
 */
export const producerCheck: WriteCheck = {
  name: 'producer',
  check({ object, principal, policy }: WriteSubject): WriteVerdict {
    if (!policy.requireProducer || isPublishedDefinition(object)) return ACCEPT;
    const creator = object['created_by_ref'];
    const who = principal.anonymous ? 'an anonymous writer' : `principal "${principal.name}"`;
    if (typeof creator !== 'string') {
      if (policy.unattributed === 'allow' || (policy.unattributed === 'allow-scos' && isSco(object))) return ACCEPT;
      const allowed = policy.unattributed === 'allow-scos' ? ' (only SCOs may come without it here)' : '';
      return refuse(
        'producer-missing',
        `this collection requires every object to name its producer in created_by_ref${allowed}; ` +
          `add created_by_ref with an identity ${who} is bound to`,
      );
    }
    const { identities, relayFor } = principal.binding;
    if (identities.has(creator) || relayFor === 'any' || relayFor.has(creator)) return ACCEPT;
    const mine = identities.size === 0 ? 'is bound to no identity' : `may publish as ${[...identities].join(', ')}`;
    return refuse(
      'producer-not-bound',
      `created_by_ref ${creator} is not an identity ${who} may publish as or relay for (${who} ${mine}); ` +
        'only the producer (or a configured relay) may publish or version its objects here',
    );
  },
};

/**
 * `requireSignatures`, given the verdict on the object's signatures (see `verifyObject`): the object must carry a
 * trusted X.590 signature by its creator, and the writer must be bound to the signer or relay for it, so a member can
 * neither forge another's objects nor publish another's genuine ones under its own account unless it is a configured
 * relay. The verdict's reason becomes the code (`signature-unsigned`, `signature-content-changed`,
 * `signature-key-revoked`, `signature-signer-not-creator`...). Shared by the check below and by the write path when
 * a verification pool computed the verdict, so both decide alike.
 */
export function judgeSignatures(verdict: ObjectVerdict, principal: WritingPrincipal): WriteVerdict {
  if (!verdict.trusted) {
    return refuse(
      `signature-${verdict.reason ?? 'untrusted'}`,
      `this collection requires objects signed by their producer with a key the server trusts: ${verdict.message}`,
    );
  }
  const signer = verdict.signer as string;
  const { identities, relayFor } = principal.binding;
  if (identities.has(signer) || relayFor === 'any' || relayFor.has(signer)) return ACCEPT;
  const who = principal.anonymous ? 'an anonymous writer' : `principal "${principal.name}"`;
  return refuse('signature-signer-not-bound', `the object is signed by ${signer}, which ${who} is not bound to and does not relay for`);
}

/** `requireSignatures`, verifying on the calling thread (see {@link judgeSignatures}). */
export const signatureCheck: WriteCheck = {
  name: 'signatures',
  check({ object, principal, policy }: WriteSubject): WriteVerdict {
    const trust = policy.signatures;
    if (trust === undefined) return ACCEPT;
    return judgeSignatures(verifyObject(object, { trust }), principal);
  },
};

/**
 * The checks before the signature check. The write path runs these, then the signature check on verdicts from the
 * verification threads: the same order, since the signature check is the last.
 */
export const CHECKS_BEFORE_SIGNATURES: readonly WriteCheck[] = [deterministicScoIdCheck, producerCheck];

/** The checks the server runs on every object, in order. */
export const WRITE_CHECKS: readonly WriteCheck[] = [...CHECKS_BEFORE_SIGNATURES, signatureCheck];
