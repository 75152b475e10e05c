/**
 * STIX Cyber-observable Objects (§6) and their predefined extensions (§3.10).
 */
import type {
  AccountTypeOv,
  EncryptionAlgorithmEnum,
  NetworkSocketAddressFamilyEnum,
  NetworkSocketTypeEnum,
  WindowsIntegrityLevelEnum,
  WindowsPebinaryTypeOv,
  WindowsRegistryDatatypeEnum,
  WindowsServiceStartTypeEnum,
  WindowsServiceStatusEnum,
  WindowsServiceTypeEnum,
} from '../vocab.js';
import type { Dictionary, Extensions, Hashes, Identifier, OpenVocab, ScoCommon, Timestamp } from './common.js';

/** §6.1: exactly one of `payload_bin` or `url`; `hashes` required with `url`. */
export type Artifact = ScoCommon<'artifact'> & {
  mime_type?: string;
  /** Base64. */
  payload_bin?: string;
  url?: string;
  hashes?: Hashes;
  encryption_algorithm?: EncryptionAlgorithmEnum;
  decryption_key?: string;
};

/** §6.2 */
export type AutonomousSystem = ScoCommon<'autonomous-system'> & {
  number: number;
  name?: string;
  rir?: string;
};

/** §6.3 */
export type Directory = ScoCommon<'directory'> & {
  path: string;
  path_enc?: string;
  ctime?: Timestamp;
  mtime?: Timestamp;
  atime?: Timestamp;
  contains_refs?: Array<Identifier<'file' | 'directory'>>;
};

/** §6.4 */
export type DomainName = ScoCommon<'domain-name'> & {
  value: string;
  resolves_to_refs?: Array<Identifier<'ipv4-addr' | 'ipv6-addr' | 'domain-name'>>;
};

/** §6.5 */
export type EmailAddr = ScoCommon<'email-addr'> & {
  /** addr-spec only (no display name). */
  value: string;
  display_name?: string;
  belongs_to_ref?: Identifier<'user-account'>;
};

/** §6.6.2: `body` or `body_raw_ref`. */
export type EmailMimePart = {
  body?: string;
  body_raw_ref?: Identifier<'artifact' | 'file'>;
  content_type?: string;
  content_disposition?: string;
};

/** §6.6: `body` only when not multipart, `body_multipart` only when multipart. */
export type EmailMessage = ScoCommon<'email-message'> & {
  is_multipart: boolean;
  date?: Timestamp;
  content_type?: string;
  from_ref?: Identifier<'email-addr'>;
  sender_ref?: Identifier<'email-addr'>;
  to_refs?: Array<Identifier<'email-addr'>>;
  cc_refs?: Array<Identifier<'email-addr'>>;
  bcc_refs?: Array<Identifier<'email-addr'>>;
  message_id?: string;
  subject?: string;
  received_lines?: string[];
  /** Each header's values: always a list, even for a header that occurs once (§6.6). */
  additional_header_fields?: Dictionary<string[]>;
  body?: string;
  body_multipart?: EmailMimePart[];
  raw_email_ref?: Identifier<'artifact'>;
};

/** §6.7.2 archive-ext. */
export type ArchiveExt = {
  contains_refs: Array<Identifier<'file' | 'directory'>>;
  comment?: string;
};

/** §6.7.3.1 */
export type AlternateDataStream = { name: string; hashes?: Hashes; size?: number };

/** §6.7.3 ntfs-ext. */
export type NtfsExt = { sid?: string; alternate_data_streams?: AlternateDataStream[] };

/** §6.7.4 pdf-ext. */
export type PdfExt = {
  version?: string;
  is_optimized?: boolean;
  document_info_dict?: Dictionary<string>;
  pdfid0?: string;
  pdfid1?: string;
};

/** §6.7.5 raster-image-ext. */
export type RasterImageExt = {
  image_height?: number;
  image_width?: number;
  bits_per_pixel?: number;
  exif_tags?: Dictionary<string | number>;
};

/** §6.7.6.1 */
export type WindowsPeOptionalHeader = {
  magic_hex?: string;
  major_linker_version?: number;
  minor_linker_version?: number;
  size_of_code?: number;
  size_of_initialized_data?: number;
  size_of_uninitialized_data?: number;
  address_of_entry_point?: number;
  base_of_code?: number;
  base_of_data?: number;
  image_base?: number;
  section_alignment?: number;
  file_alignment?: number;
  major_os_version?: number;
  minor_os_version?: number;
  major_image_version?: number;
  minor_image_version?: number;
  major_subsystem_version?: number;
  minor_subsystem_version?: number;
  win32_version_value_hex?: string;
  size_of_image?: number;
  size_of_headers?: number;
  checksum_hex?: string;
  subsystem_hex?: string;
  dll_characteristics_hex?: string;
  size_of_stack_reserve?: number;
  size_of_stack_commit?: number;
  size_of_heap_reserve?: number;
  size_of_heap_commit?: number;
  loader_flags_hex?: string;
  number_of_rva_and_sizes?: number;
  hashes?: Hashes;
};

/** §6.7.6.2 */
export type WindowsPeSection = { name: string; size?: number; entropy?: number; hashes?: Hashes };

/** §6.7.6 windows-pebinary-ext. */
export type WindowsPebinaryExt = {
  pe_type: OpenVocab<WindowsPebinaryTypeOv>;
  imphash?: string;
  machine_hex?: string;
  number_of_sections?: number;
  time_date_stamp?: Timestamp;
  pointer_to_symbol_table_hex?: string;
  number_of_symbols?: number;
  size_of_optional_header?: number;
  characteristics_hex?: string;
  file_header_hashes?: Hashes;
  optional_header?: WindowsPeOptionalHeader;
  sections?: WindowsPeSection[];
};

/** The `extensions` of a file: predefined ones typed, others allowed. */
export type FileExtensions = Extensions & {
  'archive-ext'?: ArchiveExt;
  'ntfs-ext'?: NtfsExt;
  'pdf-ext'?: PdfExt;
  'raster-image-ext'?: RasterImageExt;
  'windows-pebinary-ext'?: WindowsPebinaryExt;
};

/** §6.7: at least one of `hashes` or `name`. */
export type File = ScoCommon<'file'> & {
  extensions?: FileExtensions;
  hashes?: Hashes;
  size?: number;
  name?: string;
  name_enc?: string;
  magic_number_hex?: string;
  mime_type?: string;
  ctime?: Timestamp;
  mtime?: Timestamp;
  atime?: Timestamp;
  parent_directory_ref?: Identifier<'directory'>;
  contains_refs?: Identifier[];
  content_ref?: Identifier<'artifact'>;
};

/** §6.8 (CIDR allowed). */
export type Ipv4Addr = ScoCommon<'ipv4-addr'> & {
  value: string;
  resolves_to_refs?: Array<Identifier<'mac-addr'>>;
  belongs_to_refs?: Array<Identifier<'autonomous-system'>>;
};

/** §6.9 (CIDR allowed). */
export type Ipv6Addr = ScoCommon<'ipv6-addr'> & {
  value: string;
  resolves_to_refs?: Array<Identifier<'mac-addr'>>;
  belongs_to_refs?: Array<Identifier<'autonomous-system'>>;
};

/** §6.10: lowercase, colon-separated, zero-padded MAC-48. */
export type MacAddr = ScoCommon<'mac-addr'> & {
  value: string;
};

/** §6.11 */
export type Mutex = ScoCommon<'mutex'> & {
  name: string;
};

/** §6.12.2 http-request-ext. */
export type HttpRequestExt = {
  request_method: string;
  request_value: string;
  request_version?: string;
  /** Header name → every value seen (always a list, §6.12.2). */
  request_header?: Dictionary<string[]>;
  message_body_length?: number;
  message_body_data_ref?: Identifier<'artifact'>;
};

/** §6.12.3 icmp-ext. */
export type IcmpExt = { icmp_type_hex: string; icmp_code_hex: string };

/** §6.12.4 socket-ext. */
export type SocketExt = {
  address_family: NetworkSocketAddressFamilyEnum;
  is_blocking?: boolean;
  is_listening?: boolean;
  options?: Dictionary<number>;
  socket_type?: NetworkSocketTypeEnum;
  socket_descriptor?: number;
  socket_handle?: number;
};

/** §6.12.5 tcp-ext. */
export type TcpExt = { src_flags_hex?: string; dst_flags_hex?: string };

/** The `extensions` of network traffic. */
export type NetworkTrafficExtensions = Extensions & {
  'http-request-ext'?: HttpRequestExt;
  'icmp-ext'?: IcmpExt;
  'socket-ext'?: SocketExt;
  'tcp-ext'?: TcpExt;
};

/** §6.12: `protocols` plus at least one of `src_ref` / `dst_ref`. */
export type NetworkTraffic = ScoCommon<'network-traffic'> & {
  extensions?: NetworkTrafficExtensions;
  start?: Timestamp;
  end?: Timestamp;
  is_active?: boolean;
  src_ref?: Identifier<'ipv4-addr' | 'ipv6-addr' | 'mac-addr' | 'domain-name'>;
  dst_ref?: Identifier<'ipv4-addr' | 'ipv6-addr' | 'mac-addr' | 'domain-name'>;
  src_port?: number;
  dst_port?: number;
  protocols: string[];
  src_byte_count?: number;
  dst_byte_count?: number;
  src_packets?: number;
  dst_packets?: number;
  ipfix?: Dictionary<string | number>;
  src_payload_ref?: Identifier<'artifact'>;
  dst_payload_ref?: Identifier<'artifact'>;
  encapsulates_refs?: Array<Identifier<'network-traffic'>>;
  encapsulated_by_ref?: Identifier<'network-traffic'>;
};

/** §6.13.2 windows-process-ext. */
export type WindowsProcessExt = {
  aslr_enabled?: boolean;
  dep_enabled?: boolean;
  priority?: string;
  owner_sid?: string;
  /** The name python-stix2 and earlier drafts use. */
  window_title?: string;
  /** The name the 2.1 errata 01 property table uses. */
  windows_title?: string;
  startup_info?: Dictionary;
  integrity_level?: WindowsIntegrityLevelEnum;
};

/** §6.13.3 windows-service-ext. */
export type WindowsServiceExt = {
  service_name?: string;
  descriptions?: string[];
  display_name?: string;
  group_name?: string;
  start_type?: WindowsServiceStartTypeEnum;
  service_dll_refs?: Array<Identifier<'file'>>;
  service_type?: WindowsServiceTypeEnum;
  service_status?: WindowsServiceStatusEnum;
};

/** The `extensions` of a process. */
export type ProcessExtensions = Extensions & {
  'windows-process-ext'?: WindowsProcessExt;
  'windows-service-ext'?: WindowsServiceExt;
};

/** §6.13: at least one property besides the common ones. */
export type Process = ScoCommon<'process'> & {
  extensions?: ProcessExtensions;
  is_hidden?: boolean;
  pid?: number;
  created_time?: Timestamp;
  cwd?: string;
  command_line?: string;
  environment_variables?: Dictionary<string>;
  opened_connection_refs?: Array<Identifier<'network-traffic'>>;
  creator_user_ref?: Identifier<'user-account'>;
  image_ref?: Identifier<'file'>;
  parent_ref?: Identifier<'process'>;
  child_refs?: Array<Identifier<'process'>>;
};

/** §6.14 */
export type Software = ScoCommon<'software'> & {
  name: string;
  /** CPE 2.3 formatted string. */
  cpe?: string;
  swid?: string;
  /** RFC 5646 language tags. */
  languages?: string[];
  vendor?: string;
  version?: string;
};

/** §6.15 */
export type Url = ScoCommon<'url'> & {
  value: string;
};

/** §6.16.2 unix-account-ext. */
export type UnixAccountExt = { gid?: number; groups?: string[]; home_dir?: string; shell?: string };

/** The `extensions` of a user account. */
export type UserAccountExtensions = Extensions & { 'unix-account-ext'?: UnixAccountExt };

/** §6.16: at least one property besides the common ones. */
export type UserAccount = ScoCommon<'user-account'> & {
  extensions?: UserAccountExtensions;
  user_id?: string;
  credential?: string;
  account_login?: string;
  account_type?: OpenVocab<AccountTypeOv>;
  display_name?: string;
  is_service_account?: boolean;
  is_privileged?: boolean;
  can_escalate_privs?: boolean;
  is_disabled?: boolean;
  account_created?: Timestamp;
  account_expires?: Timestamp;
  credential_last_changed?: Timestamp;
  account_first_login?: Timestamp;
  account_last_login?: Timestamp;
};

/** §6.17.2: at least one property. */
export type WindowsRegistryValue = { name?: string; data?: string; data_type?: WindowsRegistryDatatypeEnum };

/** §6.17: at least one property besides the common ones. */
export type WindowsRegistryKey = ScoCommon<'windows-registry-key'> & {
  key?: string;
  values?: WindowsRegistryValue[];
  modified_time?: Timestamp;
  creator_user_ref?: Identifier<'user-account'>;
  number_of_subkeys?: number;
};

/** §6.18.2: at least one property. */
export type X509V3Extensions = {
  basic_constraints?: string;
  name_constraints?: string;
  policy_constraints?: string;
  key_usage?: string;
  extended_key_usage?: string;
  subject_key_identifier?: string;
  authority_key_identifier?: string;
  subject_alternative_name?: string;
  issuer_alternative_name?: string;
  subject_directory_attributes?: string;
  crl_distribution_points?: string;
  inhibit_any_policy?: string;
  private_key_usage_period_not_before?: Timestamp;
  private_key_usage_period_not_after?: Timestamp;
  certificate_policies?: string;
  policy_mappings?: string;
};

/** §6.18: at least one property besides the common ones. */
export type X509Certificate = ScoCommon<'x509-certificate'> & {
  is_self_signed?: boolean;
  hashes?: Hashes;
  version?: string;
  serial_number?: string;
  signature_algorithm?: string;
  issuer?: string;
  validity_not_before?: Timestamp;
  validity_not_after?: Timestamp;
  subject?: string;
  subject_public_key_algorithm?: string;
  subject_public_key_modulus?: string;
  subject_public_key_exponent?: number;
  x509_v3_extensions?: X509V3Extensions;
};

/** Every STIX Cyber-observable Object. */
export type Sco =
  | Artifact
  | AutonomousSystem
  | Directory
  | DomainName
  | EmailAddr
  | EmailMessage
  | File
  | Ipv4Addr
  | Ipv6Addr
  | MacAddr
  | Mutex
  | NetworkTraffic
  | Process
  | Software
  | Url
  | UserAccount
  | WindowsRegistryKey
  | X509Certificate;
