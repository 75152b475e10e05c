/**
 * STIX Meta Objects (§7) and the bundle (§8).
 */
import type { ExtensionTypeEnum } from '../vocab.js';
import type { Dictionary, Extensions, ExternalReference, GranularMarking, Identifier, Timestamp } from './common.js';

/** §7.1: translations of another object's text. */
export type LanguageContent = {
  type: 'language-content';
  spec_version: '2.1';
  id: Identifier<'language-content'>;
  created_by_ref?: Identifier<'identity'>;
  created: Timestamp;
  modified: Timestamp;
  revoked?: boolean;
  labels?: string[];
  confidence?: number;
  external_references?: ExternalReference[];
  object_marking_refs?: Array<Identifier<'marking-definition'>>;
  granular_markings?: GranularMarking[];
  extensions?: Extensions;
  object_ref: Identifier;
  /** Equals the `modified` of the object translated. */
  object_modified?: Timestamp;
  /** RFC 5646 language tag → property name → translated value. */
  contents: Dictionary<Dictionary>;
};

/** §7.2.1.3 the `definition` of a statement marking (the whole object is `StatementMarking`). */
export type StatementDefinition = {
  statement: string;
};

/** §7.2.1.4 TLP 1.0 marking. */
export type TlpMarking = {
  tlp: 'white' | 'green' | 'amber' | 'red';
};

/** §7.2.1: `extensions`, or the deprecated `definition_type` + `definition`. Never versioned (no `modified`). */
export type MarkingDefinition = {
  type: 'marking-definition';
  spec_version: '2.1';
  id: Identifier<'marking-definition'>;
  created_by_ref?: Identifier<'identity'>;
  created: Timestamp;
  external_references?: ExternalReference[];
  object_marking_refs?: Array<Identifier<'marking-definition'>>;
  granular_markings?: GranularMarking[];
  extensions?: Extensions;
  name?: string;
  /** @deprecated since 2.1: use an extension (e.g. TLP 2.0). */
  definition_type?: 'statement' | 'tlp' | (string & Record<never, never>);
  /** @deprecated since 2.1: use an extension. */
  definition?: StatementDefinition | TlpMarking | Dictionary;
};

/** §7.3 */
export type ExtensionDefinition = {
  type: 'extension-definition';
  spec_version: '2.1';
  id: Identifier<'extension-definition'>;
  created_by_ref: Identifier<'identity'>;
  created: Timestamp;
  modified: Timestamp;
  revoked?: boolean;
  labels?: string[];
  external_references?: ExternalReference[];
  object_marking_refs?: Array<Identifier<'marking-definition'>>;
  granular_markings?: GranularMarking[];
  name: string;
  description?: string;
  /** URL of, or the text of, the extension's schema. */
  schema: string;
  version: string;
  extension_types: ExtensionTypeEnum[];
  /** Only with `toplevel-property-extension`. */
  extension_properties?: string[];
};

/** Every STIX Meta Object. */
export type Smo = LanguageContent | MarkingDefinition | ExtensionDefinition;
