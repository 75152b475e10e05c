import { TLP1, TLP2, TLP2_EXTENSION_ID } from '../stix/markings.js';
import type { TlpLabel } from './row.js';

/** TLP labels from least to most restrictive; when an object carries several, the last one found here wins. */
const TLP_ORDER: readonly TlpLabel[] = ['CLEAR', 'WHITE', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'];

const WELL_KNOWN_TLP: ReadonlyMap<string, TlpLabel> = new Map<string, TlpLabel>([
  [TLP1.white.id, 'WHITE'],
  [TLP1.green.id, 'GREEN'],
  [TLP1.amber.id, 'AMBER'],
  [TLP1.red.id, 'RED'],
  [TLP2.clear.id, 'CLEAR'],
  [TLP2.green.id, 'GREEN'],
  [TLP2.amber.id, 'AMBER'],
  [TLP2['amber+strict'].id, 'AMBER+STRICT'],
  [TLP2.red.id, 'RED'],
]);

/** Upper bound on remembered identities and markings, so an endless stream of them cannot exhaust memory. */
const MAX_REMEMBERED = 100_000;

/** Options shared by every converter. */
export interface ConvertOptions {
  /**
   * The instant against which `valid_until` / `valid_from` are judged (default: the clock at the time each indicator
   * is converted, so a long `pull --follow` stays right). Tests and reproducible exports pass a fixed date.
   */
  readonly now?: Date;
  /** Overrides the `source` of every row (e.g. the feed or sharing-group name). */
  readonly source?: string;
  /**
   * Restore defanged values (`59.188.12[.]123`, `hxxp://`) before checking them, instead of refusing them. Off by
   * default: a defanged value was written so that nobody acts on it by accident.
   */
  readonly refang?: boolean;
}

/**
 * What a stream has taught the converter so far: names of identities (for `source`) and TLP levels of marking
 * definitions other than the well-known ones. Bundles put these before the objects that use them, so one pass is
 * enough; an object whose identity arrives later gets the identity's id as its `source`.
 */
export class ConvertContext {
  readonly sourceOverride: string | undefined;
  /** Whether defanged values are restored (see {@link ConvertOptions.refang}). */
  readonly refang: boolean;
  private readonly fixedNowMs: number | undefined;
  private readonly identities = new Map<string, string>();
  private readonly markings = new Map<string, TlpLabel>();

  constructor(options: ConvertOptions = {}) {
    this.fixedNowMs = options.now?.getTime();
    this.sourceOverride = options.source;
    this.refang = options.refang === true;
  }

  /** The instant expiry is judged against: the fixed `now` option, else the clock (read each time, for long runs). */
  get nowMs(): number {
    return this.fixedNowMs ?? Date.now();
  }

  /** Learns from an object of any type (identities and marking definitions); cheap for everything else. */
  observe(obj: Record<string, unknown>): void {
    const type = obj['type'];
    if (type === 'identity') {
      const id = obj['id'];
      const name = obj['name'];
      if (typeof id === 'string' && typeof name === 'string' && this.identities.size < MAX_REMEMBERED) {
        this.identities.set(id, name);
      }
    } else if (type === 'marking-definition') {
      const id = obj['id'];
      if (typeof id !== 'string' || WELL_KNOWN_TLP.has(id) || this.markings.size >= MAX_REMEMBERED) return;
      const level = tlpOfMarkingDefinition(obj);
      if (level !== undefined) this.markings.set(id, level);
    }
  }

  /** The name of an identity seen so far, if any. */
  identityName(id: string): string | undefined {
    return this.identities.get(id);
  }

  /** The most restrictive TLP among marking references, or undefined when none is a TLP marking. */
  tlpOf(markingRefs: unknown): TlpLabel | undefined {
    if (!Array.isArray(markingRefs)) return undefined;
    let best = -1;
    for (const ref of markingRefs) {
      if (typeof ref !== 'string') continue;
      const level = WELL_KNOWN_TLP.get(ref) ?? this.markings.get(ref);
      if (level !== undefined) best = Math.max(best, TLP_ORDER.indexOf(level));
    }
    return best < 0 ? undefined : TLP_ORDER[best];
  }
}

/** The TLP level a marking-definition object declares (TLP 1.0 `definition.tlp` or the TLP 2.0 extension). */
export function tlpOfMarkingDefinition(obj: Record<string, unknown>): TlpLabel | undefined {
  const known = typeof obj['id'] === 'string' ? WELL_KNOWN_TLP.get(obj['id']) : undefined;
  if (known !== undefined) return known;
  const definition = obj['definition'];
  if (obj['definition_type'] === 'tlp' && definition !== null && typeof definition === 'object') {
    const level = (definition as Record<string, unknown>)['tlp'];
    if (typeof level === 'string') return asLabel(level);
  }
  const extensions = obj['extensions'];
  if (extensions !== null && typeof extensions === 'object') {
    const tlp2 = (extensions as Record<string, unknown>)[TLP2_EXTENSION_ID];
    if (tlp2 !== null && typeof tlp2 === 'object') {
      const level = (tlp2 as Record<string, unknown>)['tlp_2_0'];
      if (typeof level === 'string') return asLabel(level);
    }
  }
  return undefined;
}

function asLabel(level: string): TlpLabel | undefined {
  const upper = level.toUpperCase();
  return (TLP_ORDER as readonly string[]).includes(upper) ? (upper as TlpLabel) : undefined;
}
