import { identifierSchemeOf } from '../identifier-schemes.js';
import { joinPointer } from '../diagnostic.js';
import { idContributingProperties, scoIdName, STIX_SCO_NAMESPACE } from '../ids.js';
import { uuidV5 } from '../uuid-v5.js';
import type { ObjectKind } from './object-kinds.js';
import type { JsonObject, RuleContext } from './rule.js';
import { hasOwn, reportError, reportWarning } from './rule.js';

/** Index of the UUID version digit in `<type>--xxxxxxxx-xxxx-Vxxx-...`, counted from the `--`. */
const VERSION_OFFSET = 2 + 14;

function uuidVersion(id: string, cut: number): string {
  return id.charAt(cut + VERSION_OFFSET);
}

/**
 * §2.7 / §2.9: the identifier's type part equals `type`; SDOs, SROs and meta objects should use UUIDv4; SCOs use a
 * UUIDv5 over their ID-contributing properties when any is present (SHOULD, and then the id should be the
 * deterministic one) and MUST use a UUIDv4 when none is present (or, for process, always).
 */
export function checkIdentifier(obj: JsonObject, type: string, kind: ObjectKind, pointer: string, ctx: RuleContext): void {
  const id = obj['id'];
  if (typeof id !== 'string') return;
  const cut = id.indexOf('--');
  if (cut < 0) return; // malformed: the schema (or common-properties) reports it
  if (cut !== type.length || !id.startsWith(type)) {
    reportError(ctx, 'id-type-mismatch', joinPointer(pointer, 'id'), `id '${id}' must start with '${type}--' (§2.7)`);
    return;
  }
  if (id.length !== cut + 38) return;
  const version = uuidVersion(id, cut);
  if (kind !== 'sco') {
    if (version !== '4' && identifierSchemeOf(obj) === undefined) {
      const message = `id '${id}' should use a UUIDv4, not version ${version} (§2.9)`;
      reportWarning(ctx, 'uuid-version', joinPointer(pointer, 'id'), message);
    }
    return;
  }
  const props = idContributingProperties(type);
  if (props === undefined) return;
  let present = false;
  for (const p of props) {
    if (hasOwn(obj, p)) {
      present = true;
      break;
    }
  }
  if (!present) {
    if (version !== '4') {
      reportError(
        ctx,
        'sco-id-uuid-v4',
        joinPointer(pointer, 'id'),
        `id '${id}' must be a UUIDv4: ${type === 'process' ? 'process ids always are' : 'no ID-contributing property is present'} (§2.9)`,
      );
    }
    return;
  }
  if (version !== '5') {
    const message = `id '${id}' should be a UUIDv5 derived from the ID-contributing properties (§2.9)`;
    reportWarning(ctx, 'uuid-version', joinPointer(pointer, 'id'), message);
    return;
  }
  const name = scoIdName(obj as { type: string } & JsonObject);
  if (name === undefined) return;
  const uuid = uuidV5(name, STIX_SCO_NAMESPACE);
  // endsWith: no copy of the id for the (lowercase) common case.
  if (!id.endsWith(uuid) && id.slice(cut + 2).toLowerCase() !== uuid) {
    const expected = `${type}--${uuid}`;
    reportWarning(
      ctx,
      'sco-id-not-deterministic',
      joinPointer(pointer, 'id'),
      `id '${id}' differs from the deterministic id '${expected}' computed from the ID-contributing properties (§2.9)`,
    );
  }
}
