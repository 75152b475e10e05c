import { lookup } from './field-map.js';
import type { FieldMap } from './field-map.js';
import { recordFromObject } from './record-from-object.js';
import type { RecordResult, TelemetryField } from './record-from-object.js';

/**
 * OpenTelemetry GenAI spans (OTLP JSON, an `ExportTraceServiceRequest`: `resourceSpans[].scopeSpans[].spans[]`) as
 * request records. Attributes are looked up on the span first, then on its resource. Spans with no `gen_ai.*`
 * attribute (HTTP, database... spans of the same trace) are not requests to a model and are skipped, not reported.
 */

/** Attribute keys tried for each field, first present wins (GenAI semantic conventions, then older names). */
export const OTLP_ATTRIBUTES: Readonly<Record<Exclude<TelemetryField, 'timestamp'>, readonly string[]>> = {
  account_id: ['user.id', 'enduser.id'],
  org_id: ['organization.id', 'org.id'],
  client_ip: ['client.address'],
  client_host: ['http.request.header.x-forwarded-host'],
  asn: ['client.as.number', 'asn'],
  user_agent: ['user_agent.original'],
  model: ['gen_ai.request.model', 'gen_ai.response.model'],
  input_tokens: ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens'],
  output_tokens: ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens'],
  reasoning_tokens: ['gen_ai.usage.reasoning_tokens', 'gen_ai.usage.output_tokens.reasoning'],
  prompt: ['gen_ai.prompt', 'gen_ai.input.messages'],
  payment_fingerprint: ['payment_fingerprint'],
  signup_channel: ['signup_channel'],
  account_created: ['account_created'],
  status: ['status'],
};

/** An OTLP `AnyValue` as a plain value (64-bit integers stay strings, as OTLP JSON writes them). */
export function anyValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  if ('stringValue' in o) return o['stringValue'];
  if ('intValue' in o) return o['intValue'];
  if ('doubleValue' in o) return o['doubleValue'];
  if ('boolValue' in o) return o['boolValue'];
  if ('arrayValue' in o) {
    const values = (o['arrayValue'] as { values?: unknown } | null)?.values;
    return Array.isArray(values) ? values.map(anyValue) : [];
  }
  if ('kvlistValue' in o) return attributes((o['kvlistValue'] as { values?: unknown } | null)?.values, {});
  return undefined;
}

/** An OTLP `KeyValue[]` added onto `into` (later keys win). */
export function attributes(list: unknown, into: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(list)) return into;
  for (const kv of list) {
    if (kv !== null && typeof kv === 'object' && typeof (kv as { key?: unknown }).key === 'string') {
      into[(kv as { key: string }).key] = anyValue((kv as { value?: unknown }).value);
    }
  }
  return into;
}

/** One span's outcome: a record, a reason it is bad (with its position in the document), or skipped. */
export type SpanResult = (RecordResult & { readonly where: string }) | { readonly skipped: true };

const STATUS = ['unset', 'ok', 'error'];

function spanRecord(span: Record<string, unknown>, resource: Record<string, unknown>, map: FieldMap | undefined): RecordResult | undefined {
  const attrs = attributes(span['attributes'], { ...resource });
  if (!Object.keys(attrs).some((k) => k.startsWith('gen_ai.')) && map === undefined) return undefined;
  const o: Record<string, unknown> = {};
  for (const [field, keys] of Object.entries(OTLP_ATTRIBUTES)) {
    const mapped = map?.fields[field as TelemetryField];
    if (mapped !== undefined) o[field] = lookup(attrs, mapped);
    else for (const k of keys) if (attrs[k] !== undefined) {
      o[field] = attrs[k];
      break;
    }
  }
  if (o['status'] === undefined) {
    const code = (span['status'] as { code?: unknown } | undefined)?.code;
    if (typeof code === 'number' && code > 0) o['status'] = STATUS[code];
    else if (typeof code === 'string' && code.startsWith('STATUS_CODE_')) o['status'] = code.slice(12).toLowerCase();
  }
  const mappedTime = map?.fields.timestamp;
  const start = mappedTime === undefined ? span['startTimeUnixNano'] : lookup(attrs, mappedTime);
  o['timestamp'] = mappedTime === undefined ? (typeof start === 'string' && /^\d+$/.test(start) ? Number(BigInt(start) / 1_000_000n) : start) : start;
  return recordFromObject(o, mappedTime === undefined ? (map?.timeUnit ?? 'ms') : map?.timeUnit);
}

/**
 * The request records of one parsed OTLP JSON document. A document that is not an `ExportTraceServiceRequest`
 * yields one bad result; a bad span yields a bad result naming its position and does not spoil its neighbours.
 */
export function* spansOf(doc: unknown, map?: FieldMap): Generator<SpanResult> {
  const resourceSpans = (doc as { resourceSpans?: unknown } | null)?.resourceSpans;
  if (!Array.isArray(resourceSpans)) {
    yield { error: 'expected an OTLP JSON ExportTraceServiceRequest ({"resourceSpans": [...]})', where: '' };
    return;
  }
  for (const [r, rs] of resourceSpans.entries()) {
    const resource = attributes((rs as { resource?: { attributes?: unknown } } | null)?.resource?.attributes, {});
    const scopes = (rs as { scopeSpans?: unknown; instrumentationLibrarySpans?: unknown } | null)?.scopeSpans ??
      (rs as { instrumentationLibrarySpans?: unknown } | null)?.instrumentationLibrarySpans;
    if (!Array.isArray(scopes)) continue;
    for (const [s, scope] of scopes.entries()) {
      const spans = (scope as { spans?: unknown } | null)?.spans;
      if (!Array.isArray(spans)) continue;
      for (const [i, span] of spans.entries()) {
        const where = `resourceSpans[${r}].scopeSpans[${s}].spans[${i}]`;
        if (span === null || typeof span !== 'object') {
          yield { error: 'expected a span object', where };
          continue;
        }
        const result = spanRecord(span as Record<string, unknown>, resource, map);
        yield result === undefined ? { skipped: true } : { ...result, where };
      }
    }
  }
}
