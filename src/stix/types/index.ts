/**
 * TypeScript types of every STIX 2.1 object: a discriminated union on `type`, plus runtime lists of the type names.
 *
 * Objects are type aliases rather than interfaces on purpose: aliases are assignable to `Record<string, unknown>`
 * (generic object code, custom properties) while `keyof` keeps the literal property names (so `Omit` and `Pick`
 * work), which an index signature would break.
 */
import type { Sco } from './sco.js';
import type { Sdo } from './sdo.js';
import type { Smo } from './meta.js';
import type { Sro } from './sro.js';
import type { Identifier } from './common.js';

export type {
  Dictionary,
  ExtensionEntry,
  Extensions,
  ExternalReference,
  GranularMarking,
  Hashes,
  Identifier,
  KillChainPhase,
  OpenVocab,
  ScoCommon,
  SdoSroCommon,
  Timestamp,
} from './common.js';
export type {
  AttackPattern,
  Campaign,
  CourseOfAction,
  Grouping,
  Identity,
  Incident,
  Indicator,
  Infrastructure,
  IntrusionSet,
  Location,
  Malware,
  MalwareAnalysis,
  Note,
  ObservedData,
  Opinion,
  Report,
  Sdo,
  ThreatActor,
  Tool,
  Vulnerability,
} from './sdo.js';
export type { Relationship, Sighting, Sro } from './sro.js';
export type {
  AlternateDataStream,
  ArchiveExt,
  Artifact,
  AutonomousSystem,
  Directory,
  DomainName,
  EmailAddr,
  EmailMessage,
  EmailMimePart,
  File,
  FileExtensions,
  HttpRequestExt,
  IcmpExt,
  Ipv4Addr,
  Ipv6Addr,
  MacAddr,
  Mutex,
  NetworkTraffic,
  NetworkTrafficExtensions,
  NtfsExt,
  PdfExt,
  Process,
  ProcessExtensions,
  RasterImageExt,
  Sco,
  SocketExt,
  Software,
  TcpExt,
  UnixAccountExt,
  Url,
  UserAccount,
  UserAccountExtensions,
  WindowsPebinaryExt,
  WindowsPeOptionalHeader,
  WindowsPeSection,
  WindowsProcessExt,
  WindowsRegistryKey,
  WindowsRegistryValue,
  WindowsServiceExt,
  X509Certificate,
  X509V3Extensions,
} from './sco.js';
export type {
  ExtensionDefinition,
  LanguageContent,
  MarkingDefinition,
  Smo,
  StatementDefinition,
  TlpMarking,
} from './meta.js';

/** Every STIX 2.1 object (bundles excluded), discriminated on `type`. */
export type StixObject = Sdo | Sro | Sco | Smo;

/** The `type` of every STIX 2.1 object. */
export type StixObjectType = StixObject['type'];

/** The interface of the object whose `type` is `T`. */
export type StixObjectOf<T extends StixObjectType> = Extract<StixObject, { type: T }>;

export type SdoType = Sdo['type'];
export type SroType = Sro['type'];
export type ScoType = Sco['type'];
export type SmoType = Smo['type'];

/** §8: a transport wrapper, without `spec_version`. */
export type Bundle = {
  type: 'bundle';
  id: Identifier<'bundle'>;
  /** Any STIX objects, custom ones included. */
  objects?: Array<StixObject | (Record<string, unknown> & { type: string; id: string })>;
};

/** The 19 SDO types of §4. */
export const SDO_TYPES = [
  'attack-pattern',
  'campaign',
  'course-of-action',
  'grouping',
  'identity',
  'incident',
  'indicator',
  'infrastructure',
  'intrusion-set',
  'location',
  'malware',
  'malware-analysis',
  'note',
  'observed-data',
  'opinion',
  'report',
  'threat-actor',
  'tool',
  'vulnerability',
] as const satisfies readonly SdoType[];

/** The 2 SRO types of §5. */
export const SRO_TYPES = ['relationship', 'sighting'] as const satisfies readonly SroType[];

/** The 18 SCO types of §6. */
export const SCO_TYPES = [
  'artifact',
  'autonomous-system',
  'directory',
  'domain-name',
  'email-addr',
  'email-message',
  'file',
  'ipv4-addr',
  'ipv6-addr',
  'mac-addr',
  'mutex',
  'network-traffic',
  'process',
  'software',
  'url',
  'user-account',
  'windows-registry-key',
  'x509-certificate',
] as const satisfies readonly ScoType[];

/** The 3 meta object types of §7. */
export const SMO_TYPES = ['language-content', 'marking-definition', 'extension-definition'] as const satisfies readonly SmoType[];

const sdoSet: ReadonlySet<string> = new Set(SDO_TYPES);
const sroSet: ReadonlySet<string> = new Set(SRO_TYPES);
const scoSet: ReadonlySet<string> = new Set(SCO_TYPES);
const smoSet: ReadonlySet<string> = new Set(SMO_TYPES);

/** True for the 19 standard SDO types (not custom or extension-defined ones). */
export function isSdoType(type: string): type is SdoType {
  return sdoSet.has(type);
}

/** True for `relationship` and `sighting`. */
export function isSroType(type: string): type is SroType {
  return sroSet.has(type);
}

/** True for the 18 standard SCO types. */
export function isScoType(type: string): type is ScoType {
  return scoSet.has(type);
}

/** True for `language-content`, `marking-definition` and `extension-definition`. */
export function isSmoType(type: string): type is SmoType {
  return smoSet.has(type);
}
