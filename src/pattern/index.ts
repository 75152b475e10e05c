/**
 * `distill-intel/pattern`: the STIX 2.1 patterning language (§9). Parse and print patterns, check them before they
 * are shared, and match them against observed data. (The STIX validator imports the checker itself: `validate()` checks
 * every `pattern_type: 'stix'` indicator whichever module was loaded.)
 * @packageDocumentation
 */
export type {
  BinaryConstant,
  BooleanConstant,
  BooleanExpression,
  Comparison,
  ComparisonExpression,
  ComparisonOperator,
  Constant,
  ConstantKind,
  ExistsComparison,
  FloatConstant,
  HexConstant,
  IntegerConstant,
  ObjectPath,
  ObservationExpression,
  ObservationOperation,
  PathStep,
  PatternAst,
  PatternExpression,
  PatternNode,
  QualifiedGroup,
  Qualifier,
  RepeatsQualifier,
  ScalarComparison,
  ScalarOperator,
  SetComparison,
  SourcePosition,
  StartStopQualifier,
  StringConstant,
  TimestampConstant,
  WithinQualifier,
} from './ast.js';
export { nodePosition, observationLeaves } from './ast.js';
export { parsePattern, parsePatternOrThrow } from './parser.js';
export type { ParseResult as PatternParseResult, PatternSyntaxIssue } from './parser.js';
export { PatternSyntaxError } from './errors.js';
export { printPattern, printObjectPath, printConstant } from './print.js';
export { checkPattern, conformanceLevel } from './check.js';
export type { CheckOptions, CheckResult, ConformanceLevel } from './check.js';
export { compilePattern, matchPattern, PatternInvalidError } from './match.js';
export type { BoundObservation, CompiledPattern, ExpressionBinding, MatchOptions, MatchResult } from './match.js';
export { ObservationSet, prepareObservations } from './observations.js';
export type { ObservationGroup, ObservationInput, PreparedObservation, ScoJson } from './observations.js';
export { SCO_PROPERTIES, PREDEFINED_EXTENSIONS, STANDARD_SCO_TYPES } from './sco-properties.js';
export type { EmbeddedObjectKind, ValueKind } from './sco-properties.js';
export type { IpRange } from './values.js';
