/**
 * Property names STIX 2.1 defines for each object type (§3.2 common properties plus the type's own section). Anything
 * else on an object is a custom property (§11.1), which lenient validation keeps and warns about.
 */

const SDO_COMMON =
  'type spec_version id created_by_ref created modified revoked labels confidence lang external_references object_marking_refs granular_markings extensions';
const SCO_COMMON = 'type spec_version id object_marking_refs granular_markings defanged extensions';
const SEEN = 'first_seen last_seen';
const IP = 'value resolves_to_refs belongs_to_refs';

const SDO_OWN: Readonly<Record<string, string>> = {
  'attack-pattern': 'name description aliases kill_chain_phases',
  campaign: `name description aliases ${SEEN} objective`,
  'course-of-action': 'name description',
  grouping: 'name description context object_refs',
  identity: 'name description roles identity_class sectors contact_information',
  incident: 'name description kill_chain_phases',
  indicator: 'name description indicator_types pattern pattern_type pattern_version valid_from valid_until kill_chain_phases',
  infrastructure: `name description infrastructure_types aliases kill_chain_phases ${SEEN}`,
  'intrusion-set': `name description aliases ${SEEN} goals resource_level primary_motivation secondary_motivations`,
  location:
    'name description latitude longitude precision region country administrative_area city street_address postal_code',
  malware: `name description malware_types is_family aliases kill_chain_phases ${SEEN} operating_system_refs architecture_execution_envs implementation_languages capabilities sample_refs`,
  'malware-analysis':
    'product version host_vm_ref operating_system_ref installed_software_refs configuration_version modules analysis_engine_version analysis_definition_version submitted analysis_started analysis_ended result_name result analysis_sco_refs sample_ref',
  note: 'abstract content authors object_refs',
  'observed-data': 'first_observed last_observed number_observed objects object_refs',
  opinion: 'explanation authors opinion object_refs',
  report: 'name description report_types published object_refs',
  'threat-actor': `name description threat_actor_types aliases ${SEEN} roles goals sophistication resource_level primary_motivation secondary_motivations personal_motivations`,
  tool: 'name description tool_types aliases kill_chain_phases tool_version',
  vulnerability: 'name description',
  relationship: 'relationship_type description source_ref target_ref start_time stop_time',
  sighting: `description ${SEEN} count sighting_of_ref observed_data_refs where_sighted_refs summary`,
};

const SCO_OWN: Readonly<Record<string, string>> = {
  artifact: 'mime_type payload_bin url hashes encryption_algorithm decryption_key',
  'autonomous-system': 'number name rir',
  directory: 'path path_enc ctime mtime atime contains_refs',
  'domain-name': 'value resolves_to_refs',
  'email-addr': 'value display_name belongs_to_ref',
  'email-message':
    'is_multipart date content_type from_ref sender_ref to_refs cc_refs bcc_refs message_id subject received_lines additional_header_fields body body_multipart raw_email_ref',
  file: 'hashes size name name_enc magic_number_hex mime_type ctime mtime atime parent_directory_ref contains_refs content_ref',
  'ipv4-addr': IP,
  'ipv6-addr': IP,
  'mac-addr': 'value',
  mutex: 'name',
  'network-traffic':
    'start end is_active src_ref dst_ref src_port dst_port protocols src_byte_count dst_byte_count src_packets dst_packets ipfix src_payload_ref dst_payload_ref encapsulates_refs encapsulated_by_ref',
  process:
    'is_hidden pid created_time cwd command_line environment_variables opened_connection_refs creator_user_ref image_ref parent_ref child_refs',
  software: 'name cpe swid languages vendor version',
  url: 'value',
  'user-account':
    'user_id credential account_login account_type display_name is_service_account is_privileged can_escalate_privs is_disabled account_created account_expires credential_last_changed account_first_login account_last_login',
  'windows-registry-key': 'key values modified_time creator_user_ref number_of_subkeys',
  'x509-certificate':
    'is_self_signed hashes version serial_number signature_algorithm issuer validity_not_before validity_not_after subject subject_public_key_algorithm subject_public_key_modulus subject_public_key_exponent x509_v3_extensions',
};

const META: Readonly<Record<string, string>> = {
  'language-content':
    'type spec_version id created_by_ref created modified object_ref object_modified contents revoked labels confidence external_references object_marking_refs granular_markings extensions',
  'marking-definition':
    'type spec_version id created_by_ref created definition_type definition name external_references object_marking_refs granular_markings extensions',
  'extension-definition':
    'type spec_version id created_by_ref created modified name description schema version extension_types extension_properties revoked labels external_references object_marking_refs granular_markings',
  bundle: 'type id objects',
};

function toSet(...lists: string[]): ReadonlySet<string> {
  return new Set(lists.join(' ').split(' '));
}

/** Defined property names per standard type. */
export const KNOWN_PROPERTIES: ReadonlyMap<string, ReadonlySet<string>> = new Map<string, ReadonlySet<string>>([
  ...Object.entries(SDO_OWN).map(([t, own]) => [t, toSet(SDO_COMMON, own)] as const),
  ...Object.entries(SCO_OWN).map(([t, own]) => [t, toSet(SCO_COMMON, own)] as const),
  ...Object.entries(META).map(([t, all]) => [t, toSet(all)] as const),
]);

/** The type-specific property names §6 defines for each SCO type (common properties left out). */
export const SCO_OWN_PROPERTIES: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries(SCO_OWN).map(([t, own]) => [t, toSet(own)] as const),
);

/**
 * The properties each predefined SCO extension (§6.7.2-§6.16.2) and each embedded type (MIME part §6.6.2, alternate
 * data stream §6.7.3.2, PE optional header §6.7.6.2 and section §6.7.6.3, registry value §6.17.2, X.509 v3 extensions
 * §6.18.2) defines, and the common embedded types of §2 and §7.2 (external reference, kill-chain phase, granular
 * marking).
 */
export const PREDEFINED_CONTENT_PROPERTIES: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries({
    'archive-ext': 'contains_refs comment',
    'ntfs-ext': 'sid alternate_data_streams',
    'pdf-ext': 'version is_optimized document_info_dict pdfid0 pdfid1',
    'raster-image-ext': 'image_height image_width bits_per_pixel exif_tags',
    'windows-pebinary-ext':
      'pe_type imphash machine_hex number_of_sections time_date_stamp pointer_to_symbol_table_hex number_of_symbols size_of_optional_header characteristics_hex file_header_hashes optional_header sections',
    'http-request-ext': 'request_method request_value request_version request_header message_body_length message_body_data_ref',
    'icmp-ext': 'icmp_type_hex icmp_code_hex',
    'socket-ext': 'address_family is_blocking is_listening options socket_type socket_descriptor socket_handle',
    'tcp-ext': 'src_flags_hex dst_flags_hex',
    'windows-process-ext': 'aslr_enabled dep_enabled priority owner_sid window_title startup_info integrity_level',
    'windows-service-ext': 'service_name descriptions display_name group_name start_type service_dll_refs service_type service_status',
    'unix-account-ext': 'gid groups home_dir shell',
    'windows-pe-optional-header':
      'magic_hex major_linker_version minor_linker_version size_of_code size_of_initialized_data size_of_uninitialized_data address_of_entry_point base_of_code base_of_data image_base section_alignment file_alignment major_os_version minor_os_version major_image_version minor_image_version major_subsystem_version minor_subsystem_version win32_version_value_hex size_of_image size_of_headers checksum_hex subsystem_hex dll_characteristics_hex size_of_stack_reserve size_of_stack_commit size_of_heap_reserve size_of_heap_commit loader_flags_hex number_of_rva_and_sizes hashes',
    'windows-registry-value': 'name data data_type',
    'email-mime-part': 'body body_raw_ref content_type content_disposition',
    'alternate-data-stream': 'name hashes size',
    'windows-pe-section': 'name size entropy hashes',
    'external-reference': 'source_name description url hashes external_id',
    'kill-chain-phase': 'kill_chain_name phase_name',
    'granular-marking': 'lang marking_ref selectors',
    'x509-v3-extensions':
      'basic_constraints name_constraints policy_constraints key_usage extended_key_usage subject_key_identifier authority_key_identifier subject_alternative_name issuer_alternative_name subject_directory_attributes crl_distribution_points inhibit_any_policy private_key_usage_period_not_before private_key_usage_period_not_after certificate_policies policy_mappings',
  }).map(([name, props]) => [name, toSet(props)] as const),
);

/** Common property names of objects of new or custom types, per category (§3.2). */
export const COMMON_PROPERTIES: Readonly<Record<'sdo' | 'sco', ReadonlySet<string>>> = {
  sdo: toSet(SDO_COMMON),
  sco: toSet(SCO_COMMON),
};
