import { joinPointer } from '../diagnostic.js';
import { compareInstants, hasTimestampShape, isCalendarValid, isValidTimestamp } from './instants.js';
import type { JsonObject, RuleContext } from './rule.js';
import { reportError } from './rule.js';
import { presenceBits } from './presence.js';

/** One ordering the spec imposes between two timestamp properties of the same object. */
interface Ordering {
  readonly earlier: string;
  readonly later: string;
  /** `true`: later MUST be strictly after earlier; `false`: at or after. */
  readonly strictlyAfter: boolean;
  readonly section: string;
}

/** An ordering with the presence bits of its two properties (0 for properties that have none). */
interface CheckedOrdering extends Ordering {
  readonly bits: number;
}

const withBits = (o: Ordering): CheckedOrdering => ({ ...o, bits: presenceBits([o.earlier, o.later]) });

const SEEN: Ordering = { earlier: 'first_seen', later: 'last_seen', strictlyAfter: false, section: '§4' };
const CREATED: Ordering = { earlier: 'created', later: 'modified', strictlyAfter: false, section: '§3.2' };

/** Orderings per type, beyond `modified >= created` which applies to every object that has both. */
const ORDERINGS: ReadonlyMap<string, readonly CheckedOrdering[]> = new Map(
  ([
  ['campaign', [SEEN]],
  ['infrastructure', [SEEN]],
  ['intrusion-set', [SEEN]],
  ['malware', [SEEN]],
  ['threat-actor', [SEEN]],
  ['sighting', [{ ...SEEN, section: '§5.2' }]],
  ['indicator', [{ earlier: 'valid_from', later: 'valid_until', strictlyAfter: true, section: '§4.7' }]],
  ['relationship', [{ earlier: 'start_time', later: 'stop_time', strictlyAfter: true, section: '§5.1' }]],
  ['observed-data', [{ earlier: 'first_observed', later: 'last_observed', strictlyAfter: false, section: '§4.14' }]],
  ['network-traffic', [{ earlier: 'start', later: 'end', strictlyAfter: false, section: '§6.12' }]],
  ] as Array<[string, Ordering[]]>).map(([type, list]) => [type, list.map(withBits)] as const),
);

function checkCalendar(value: unknown, path: string, name: string, ctx: RuleContext): void {
  // Shape errors are the schema's (or common-properties') to report; only a well-shaped impossible date is ours.
  if (typeof value === 'string' && hasTimestampShape(value) && !isCalendarValid(value)) {
    reportError(ctx, 'timestamp-invalid-date', path, `${name} '${value}' is not a real date and time (day, month, hour, minute or second out of range)`);
  }
}

/**
 * §3.2 / §5 / §6: the orderings between pairs of timestamps hold, compared as instants at full fraction precision.
 * For types no standard schema covers, `created`/`modified` must also name real instants (the standard schemas'
 * timestamp format already rejects 2016-04-31 for every timestamp property they define).
 */
export function checkTimestamps(
  obj: JsonObject,
  type: string,
  standard: boolean,
  pointer: string,
  ctx: RuleContext,
  present: number,
): void {
  const created = obj['created'];
  const modified = obj['modified'];
  if (!standard) {
    if (created !== undefined) checkCalendar(created, joinPointer(pointer, 'created'), 'created', ctx);
    if (modified !== undefined) checkCalendar(modified, joinPointer(pointer, 'modified'), 'modified', ctx);
  }
  if (created !== undefined && modified !== undefined) checkOrder(obj, CREATED, pointer, ctx);
  const orderings = ORDERINGS.get(type);
  if (orderings === undefined) return;
  for (const o of orderings) {
    // Both ends are needed; properties with a presence bit are not even read when absent.
    if ((present & o.bits) === o.bits) checkOrder(obj, o, pointer, ctx);
  }
}

function checkOrder(obj: JsonObject, o: Ordering, pointer: string, ctx: RuleContext): void {
  const a = obj[o.earlier];
  const b = obj[o.later];
  // The common case (a first version: created === modified) needs no parsing; whether the text is a timestamp at all
  // is the schema's finding, not this rule's.
  if (a === b && !o.strictlyAfter) return;
  if (!isValidTimestamp(a) || !isValidTimestamp(b)) return;
  const cmp = compareInstants(b, a);
  if (cmp > 0 || (cmp === 0 && !o.strictlyAfter)) return;
  const relation = o.strictlyAfter ? 'later than' : 'later than or equal to';
  reportError(
    ctx,
    'timestamp-order',
    joinPointer(pointer, o.later),
    `${o.later} (${b}) must be ${relation} ${o.earlier} (${a}) (${o.section})`,
  );
}
