/**
 * What the pattern checker and matcher know about STIX 2.1 SCO properties (§6): every standard SCO type, its
 * properties and their value kinds, and the predefined extensions. Kept here rather than derived from the JSON
 * Schemas so the pattern module stands alone; registered extensions add to it through the extension registry.
 */

/** The value kind of one property. `any` means "we do not know": no type checks are made on it. */
export type ValueKind =
  | { readonly k: 'string' }
  | { readonly k: 'integer' }
  | { readonly k: 'float' }
  | { readonly k: 'boolean' }
  | { readonly k: 'timestamp' }
  | { readonly k: 'binary' }
  | { readonly k: 'hex' }
  | { readonly k: 'any' }
  | { readonly k: 'list'; readonly of: ValueKind }
  /** Free keys (hashes, environment variables...), each value of kind `of`. */
  | { readonly k: 'dictionary'; readonly of: ValueKind }
  /** An identifier that the matcher dereferences; `to` lists the allowed target types (empty = any SCO). */
  | { readonly k: 'ref'; readonly to: readonly string[] }
  /** An embedded object with named properties (a predefined extension, a MIME part, a PE section...). */
  | { readonly k: 'object'; readonly props: Readonly<Record<string, ValueKind>>; readonly open?: boolean }
  /** The `extensions` dictionary of an SCO: keys are extension names/ids, resolved by the checker. */
  | { readonly k: 'extensions' };

/** The value kind of an embedded object (a predefined extension, a MIME part, a PE section...). */
export type EmbeddedObjectKind = Extract<ValueKind, { k: 'object' }>;

const S: ValueKind = { k: 'string' };
const I: ValueKind = { k: 'integer' };
const F: ValueKind = { k: 'float' };
const B: ValueKind = { k: 'boolean' };
const T: ValueKind = { k: 'timestamp' };
const BIN: ValueKind = { k: 'binary' };
const HEX: ValueKind = { k: 'hex' };
/** Unknown value kind. */
export const ANY: ValueKind = { k: 'any' };
const L = (of: ValueKind): ValueKind => ({ k: 'list', of });
const D = (of: ValueKind = ANY): ValueKind => ({ k: 'dictionary', of });
const R = (...to: string[]): ValueKind => ({ k: 'ref', to });
const RL = (...to: string[]): ValueKind => L(R(...to));
const O = (props: Record<string, ValueKind>): EmbeddedObjectKind => ({ k: 'object', props });

const IP_LIKE = ['ipv4-addr', 'ipv6-addr', 'mac-addr', 'domain-name'];

/** Properties every SCO may carry (§3.2, §6 common properties). */
export const COMMON_SCO_PROPERTIES: Readonly<Record<string, ValueKind>> = {
  type: S,
  id: S,
  spec_version: S,
  object_marking_refs: RL('marking-definition'),
  granular_markings: L(O({ lang: S, marking_ref: R('marking-definition'), selectors: L(S) })),
  defanged: B,
  extensions: { k: 'extensions' },
};

const PE_OPTIONAL_HEADER = O({
  magic_hex: HEX,
  major_linker_version: I,
  minor_linker_version: I,
  size_of_code: I,
  size_of_initialized_data: I,
  size_of_uninitialized_data: I,
  address_of_entry_point: I,
  base_of_code: I,
  base_of_data: I,
  image_base: I,
  section_alignment: I,
  file_alignment: I,
  major_os_version: I,
  minor_os_version: I,
  major_image_version: I,
  minor_image_version: I,
  major_subsystem_version: I,
  minor_subsystem_version: I,
  win32_version_value_hex: HEX,
  size_of_image: I,
  size_of_headers: I,
  checksum_hex: HEX,
  subsystem_hex: HEX,
  dll_characteristics_hex: HEX,
  size_of_stack_reserve: I,
  size_of_stack_commit: I,
  size_of_heap_reserve: I,
  size_of_heap_commit: I,
  loader_flags_hex: HEX,
  number_of_rva_and_sizes: I,
  hashes: D(S),
});

/** Properties of each standard SCO type (without the common ones). */
export const SCO_PROPERTIES: Readonly<Record<string, Readonly<Record<string, ValueKind>>>> = {
  artifact: { mime_type: S, payload_bin: BIN, url: S, hashes: D(S), encryption_algorithm: S, decryption_key: S },
  'autonomous-system': { number: I, name: S, rir: S },
  directory: { path: S, path_enc: S, ctime: T, mtime: T, atime: T, contains_refs: RL('file', 'directory') },
  'domain-name': { value: S, resolves_to_refs: RL('ipv4-addr', 'ipv6-addr', 'domain-name') },
  'email-addr': { value: S, display_name: S, belongs_to_ref: R('user-account') },
  'email-message': {
    is_multipart: B,
    date: T,
    content_type: S,
    from_ref: R('email-addr'),
    sender_ref: R('email-addr'),
    to_refs: RL('email-addr'),
    cc_refs: RL('email-addr'),
    bcc_refs: RL('email-addr'),
    message_id: S,
    subject: S,
    received_lines: L(S),
    additional_header_fields: D(ANY),
    body: S,
    body_multipart: L(
      O({ body: S, body_raw_ref: R('artifact', 'file'), content_type: S, content_disposition: S }),
    ),
    raw_email_ref: R('artifact'),
  },
  file: {
    hashes: D(S),
    size: I,
    name: S,
    name_enc: S,
    magic_number_hex: HEX,
    mime_type: S,
    ctime: T,
    mtime: T,
    atime: T,
    parent_directory_ref: R('directory'),
    contains_refs: RL(),
    content_ref: R('artifact'),
  },
  'ipv4-addr': { value: S, resolves_to_refs: RL('mac-addr'), belongs_to_refs: RL('autonomous-system') },
  'ipv6-addr': { value: S, resolves_to_refs: RL('mac-addr'), belongs_to_refs: RL('autonomous-system') },
  'mac-addr': { value: S },
  mutex: { name: S },
  'network-traffic': {
    start: T,
    end: T,
    is_active: B,
    src_ref: R(...IP_LIKE),
    dst_ref: R(...IP_LIKE),
    src_port: I,
    dst_port: I,
    protocols: L(S),
    src_byte_count: I,
    dst_byte_count: I,
    src_packets: I,
    dst_packets: I,
    ipfix: D(ANY),
    src_payload_ref: R('artifact'),
    dst_payload_ref: R('artifact'),
    encapsulates_refs: RL('network-traffic'),
    encapsulated_by_ref: R('network-traffic'),
  },
  process: {
    is_hidden: B,
    pid: I,
    created_time: T,
    cwd: S,
    command_line: S,
    environment_variables: D(S),
    opened_connection_refs: RL('network-traffic'),
    creator_user_ref: R('user-account'),
    image_ref: R('file'),
    parent_ref: R('process'),
    child_refs: RL('process'),
  },
  software: { name: S, cpe: S, swid: S, languages: L(S), vendor: S, version: S },
  url: { value: S },
  'user-account': {
    user_id: S,
    credential: S,
    account_login: S,
    account_type: S,
    display_name: S,
    is_service_account: B,
    is_privileged: B,
    can_escalate_privs: B,
    is_disabled: B,
    account_created: T,
    account_expires: T,
    credential_last_changed: T,
    account_first_login: T,
    account_last_login: T,
  },
  'windows-registry-key': {
    key: S,
    values: L(O({ name: S, data: S, data_type: S })),
    modified_time: T,
    creator_user_ref: R('user-account'),
    number_of_subkeys: I,
  },
  'x509-certificate': {
    is_self_signed: B,
    hashes: D(S),
    version: S,
    serial_number: S,
    signature_algorithm: S,
    issuer: S,
    validity_not_before: T,
    validity_not_after: T,
    subject: S,
    subject_public_key_algorithm: S,
    subject_public_key_modulus: S,
    subject_public_key_exponent: I,
    x509_v3_extensions: O({
      basic_constraints: S,
      name_constraints: S,
      policy_constraints: S,
      key_usage: S,
      extended_key_usage: S,
      subject_key_identifier: S,
      authority_key_identifier: S,
      subject_alternative_name: S,
      issuer_alternative_name: S,
      subject_directory_attributes: S,
      crl_distribution_points: S,
      inhibit_any_policy: S,
      private_key_usage_period_not_before: T,
      private_key_usage_period_not_after: T,
      certificate_policies: S,
      policy_mappings: S,
    }),
  },
};

/** Predefined SCO extensions (§6), by SCO type then extension name. */
export const PREDEFINED_EXTENSIONS: Readonly<Record<string, Readonly<Record<string, EmbeddedObjectKind>>>> = {
  file: {
    'archive-ext': O({ contains_refs: RL('file', 'directory'), comment: S }),
    'ntfs-ext': O({ sid: S, alternate_data_streams: L(O({ name: S, hashes: D(S), size: I })) }),
    'pdf-ext': O({ version: S, is_optimized: B, document_info_dict: D(S), pdfid0: S, pdfid1: S }),
    'raster-image-ext': O({ image_height: I, image_width: I, bits_per_pixel: I, exif_tags: D(ANY) }),
    'windows-pebinary-ext': O({
      pe_type: S,
      imphash: S,
      machine_hex: HEX,
      number_of_sections: I,
      time_date_stamp: T,
      pointer_to_symbol_table_hex: HEX,
      number_of_symbols: I,
      size_of_optional_header: I,
      characteristics_hex: HEX,
      file_header_hashes: D(S),
      optional_header: PE_OPTIONAL_HEADER,
      sections: L(O({ name: S, size: I, entropy: F, hashes: D(S) })),
    }),
  },
  'network-traffic': {
    'http-request-ext': O({
      request_method: S,
      request_value: S,
      request_version: S,
      request_header: D(ANY),
      message_body_length: I,
      message_body_data_ref: R('artifact'),
    }),
    'icmp-ext': O({ icmp_type_hex: HEX, icmp_code_hex: HEX }),
    'socket-ext': O({
      address_family: S,
      is_blocking: B,
      is_listening: B,
      options: D(I),
      socket_type: S,
      socket_descriptor: I,
      socket_handle: I,
    }),
    'tcp-ext': O({ src_flags_hex: HEX, dst_flags_hex: HEX }),
  },
  process: {
    'windows-process-ext': O({
      aslr_enabled: B,
      dep_enabled: B,
      priority: S,
      owner_sid: S,
      window_title: S,
      startup_info: D(ANY),
      integrity_level: S,
    }),
    'windows-service-ext': O({
      service_name: S,
      descriptions: L(S),
      display_name: S,
      group_name: S,
      start_type: S,
      service_dll_refs: RL('file'),
      service_type: S,
      service_status: S,
    }),
  },
  'user-account': {
    'unix-account-ext': O({ gid: I, groups: L(S), home_dir: S, shell: S }),
  },
};

/** The 18 standard SCO types. */
export const STANDARD_SCO_TYPES: readonly string[] = Object.keys(SCO_PROPERTIES);

/**
 * Converts a (draft 2020-12) JSON Schema fragment into a value kind. Only what patterns need: JSON types, nested
 * `properties`, `items`, and the `_ref`/`_refs`/`_bin`/`_hex` naming conventions of §2 and §3.1.
 */
export function kindFromJsonSchema(schema: unknown, propertyName = ''): ValueKind {
  if (propertyName.endsWith('_bin')) return BIN;
  if (propertyName.endsWith('_hex')) return HEX;
  if (propertyName.endsWith('_ref')) return R();
  if (propertyName.endsWith('_refs')) return RL();
  if (schema === null || typeof schema !== 'object') return ANY;
  const s = schema as Record<string, unknown>;
  let type = s['type'];
  if (Array.isArray(type)) type = type.find((t) => t !== 'null');
  switch (type) {
    case 'string':
      return s['format'] === 'date-time' || s['format'] === 'stix-timestamp' ? T : S;
    case 'integer':
      return I;
    case 'number':
      return F;
    case 'boolean':
      return B;
    case 'array':
      return L(kindFromJsonSchema(s['items']));
    case 'object': {
      const props = collectSchemaProperties(s);
      if (Object.keys(props).length === 0) return D(kindFromJsonSchema(s['additionalProperties']));
      return { k: 'object', props, open: s['additionalProperties'] !== false };
    }
    default: {
      const props = collectSchemaProperties(s);
      return Object.keys(props).length > 0 ? { k: 'object', props, open: true } : ANY;
    }
  }
}

/** The `properties` of a schema, including those of `allOf`/`anyOf`/`oneOf` branches. */
export function collectSchemaProperties(schema: Record<string, unknown>): Record<string, ValueKind> {
  const out: Record<string, ValueKind> = {};
  const visit = (s: unknown, depth: number): void => {
    if (s === null || typeof s !== 'object' || depth > 8) return;
    const o = s as Record<string, unknown>;
    const props = o['properties'];
    if (props !== null && typeof props === 'object') {
      for (const [name, sub] of Object.entries(props as Record<string, unknown>)) {
        if (!(name in out)) out[name] = kindFromJsonSchema(sub, name);
      }
    }
    for (const key of ['allOf', 'anyOf', 'oneOf']) {
      const list = o[key];
      if (Array.isArray(list)) for (const item of list) visit(item, depth + 1);
    }
  };
  visit(schema, 0);
  return out;
}
