/**
 * Request telemetry input for detection and matching: the shared record type and streaming readers for JSON Lines
 * (fixed field names, or mapped with a {@link FieldMap}) and OTLP JSON GenAI spans, gzipped or not.
 * @packageDocumentation
 */
export type { TelemetryRecord } from './record.js';
export { TELEMETRY_FIELDS, parseTime, recordFromObject } from './record-from-object.js';
export type { EpochUnit, RecordResult, TelemetryField } from './record-from-object.js';
export { lookup, parseFieldMap, project } from './field-map.js';
export type { FieldMap } from './field-map.js';
export { OTLP_ATTRIBUTES, anyValue, attributes, spansOf } from './otlp-spans.js';
export type { SpanResult } from './otlp-spans.js';
export { BAD_LINES_KEPT, ReadStats } from './bad-lines.js';
export type { BadLine } from './bad-lines.js';
export { TelemetryInputError } from './errors.js';
export { TelemetryReader, fileSource } from './telemetry-reader.js';
export type { InputFailure, TelemetryFormat, TelemetryReaderOptions, TelemetrySource } from './telemetry-reader.js';
