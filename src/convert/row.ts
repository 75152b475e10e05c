/**
 * The normalised indicator row every renderer starts from: one observable value of one indicator, with the
 * indicator's context copied alongside so each row stands alone (a SIEM lookup table has no joins).
 */

/** A TLP level as SIEMs spell it (ECS `threat.indicator.marking.tlp`): TLP 2.0 names plus TLP 1.0 WHITE. */
export type TlpLabel = 'CLEAR' | 'WHITE' | 'GREEN' | 'AMBER' | 'AMBER+STRICT' | 'RED';

/**
 * Whether a row may be acted on. `revoked`: the producer withdrew the indicator (STIX `revoked: true`); `expired`: its
 * `valid_until` has passed; `not-yet-valid`: its `valid_from` is in the future.
 */
export type RowStatus = 'active' | 'revoked' | 'expired' | 'not-yet-valid';

/** One flattened observable. Snake-case names, because the rows are written out as they are. */
export interface IndicatorRow {
  /** STIX Cyber-observable type the value belongs to: `ipv4-addr`, `domain-name`, `file`, `ai-service-account`, ... */
  readonly type: string;
  /** Property path inside that type, as in the pattern without list indexes: `value`, `hashes.SHA-256`, `payment_fingerprints`. */
  readonly property: string;
  /** The value, as text (autonomous-system numbers in decimal). File hashes of hex algorithms are lower-cased. */
  readonly value: string;
  /** For file hashes: the STIX hash algorithm name (`SHA-256`, `MD5`, ...). */
  readonly hash_algo?: string;
  /**
   * Values that qualify `value` and came from the same observation: the `provider` of an ai-service-account pseudonym,
   * the `scheme` of a prompt-fingerprint value.
   */
  readonly scope?: Readonly<Record<string, string>>;
  /** The indicator's id. */
  readonly stix_id: string;
  readonly name?: string;
  readonly description?: string;
  /** STIX confidence, 0-100. */
  readonly confidence?: number;
  /** Most restrictive TLP marking on the indicator, when it has one. */
  readonly tlp?: TlpLabel;
  readonly valid_from?: string;
  readonly valid_until?: string;
  readonly revoked: boolean;
  readonly status: RowStatus;
  readonly labels: readonly string[];
  readonly indicator_types: readonly string[];
  /** Name of the identity in `created_by_ref` when that identity was seen earlier in the input, else the ref itself. */
  readonly source?: string;
  readonly created_by_ref?: string;
  readonly created?: string;
  readonly modified?: string;
  /** First `external_references[].url`, for analysts who want to read more. */
  readonly reference?: string;
}

/** Why (part of) an indicator was not turned into rows. Stable kebab-case codes. */
export type FlattenIssueCode =
  | 'not-an-indicator'
  | 'missing-pattern'
  | 'pattern-type'
  | 'pattern-syntax'
  | 'observation-operator'
  | 'qualifier'
  | 'comparison-and'
  | 'operator'
  | 'unsupported-path'
  | 'value-kind'
  | 'value-defanged'
  | 'value-malformed';

/** A pattern, or a part of one, that could not be flattened. */
export interface FlattenIssue {
  readonly code: FlattenIssueCode;
  /** Id of the object concerned, when it has one. */
  readonly stix_id?: string;
  /** A sentence saying what was left out and why. */
  readonly message: string;
  /** The part of the pattern concerned, when it is a part (printed back as pattern text). */
  readonly fragment?: string;
}

/** What {@link flatten} made of one indicator. */
export interface FlattenResult {
  readonly rows: IndicatorRow[];
  /**
   * What was left out. An indicator can have both rows and issues: in `[a] OR ([b] FOLLOWEDBY [c])` the `a` branch is
   * a sound row (seeing `a` satisfies the pattern) and the FOLLOWEDBY branch is reported.
   */
  readonly issues: FlattenIssue[];
}
