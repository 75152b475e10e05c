import { create, createExtensionObject } from '../stix/create.js';
import type { UserAccount } from '../stix/types/index.js';
import { defined, stixOptions } from './build-options.js';
import type { DistillBuildOptions } from './build-options.js';
import { ensureDistillationExtensions } from './definitions.js';
import { DistillationPrivacyError } from './errors.js';
import { AI_SERVICE_ACCOUNT_EXTENSION_ID } from './extension-ids.js';
import { privacyFindings } from './privacy.js';
import { paymentPseudonym, pseudonymize } from './pseudonym.js';
import type { PseudonymKey } from './pseudonym.js';
import { defaultTlp, tlpMarkingRefs } from './tlp-policy.js';
import type { AI_ACCOUNT_CATEGORY_OV, AI_ACCOUNT_STATUS_ENUM, Open } from './vocab.js';

/** Properties of an `ai-service-account` (domain model §4.2 B); every identifier is already a pseudonym. */
export interface AiServiceAccountProps {
  /** DNS name of the platform, e.g. `api.lab-a.example.com`. */
  readonly provider: string;
  /** `hmac-sha256:<keyId>:<hex>` of the platform's account id. */
  readonly account_pseudonym: string;
  readonly account_category?: Open<typeof AI_ACCOUNT_CATEGORY_OV>;
  /** The domain of the sign-up e-mail address, never the address. */
  readonly signup_email_domain?: string;
  /** ISO 3166-1 alpha-2. */
  readonly claimed_country?: string;
  readonly payment_fingerprints?: readonly string[];
  readonly api_key_fingerprints?: readonly string[];
  readonly cluster_pseudonyms?: readonly string[];
  readonly status?: (typeof AI_ACCOUNT_STATUS_ENUM)[number];
  readonly first_activity?: string;
  readonly last_activity?: string;
}

/** An `ai-service-account` SCO. */
export interface AiServiceAccount extends AiServiceAccountProps {
  readonly type: 'ai-service-account';
  readonly spec_version: '2.1';
  readonly id: `ai-service-account--${string}`;
  readonly object_marking_refs?: readonly string[];
  readonly extensions: Readonly<Record<string, { readonly extension_type: 'new-sco' }>>;
}

/**
 * Builds an `ai-service-account`; its id is deterministic (UUIDv5 over provider and account_pseudonym), so two labs
 * holding the same key describe the same account with the same id. Marked TLP:AMBER unless told otherwise.
 *
 * @throws DistillationPrivacyError naming the field when an identifier is not a pseudonym, `signup_email_domain`
 *   is an e-mail address, or `provider` is not a DNS name; StixBuildError when the result does not validate.
 */
export function aiServiceAccount(props: AiServiceAccountProps, options: Omit<DistillBuildOptions, 'created' | 'createdByRef'> = {}): AiServiceAccount {
  ensureDistillationExtensions();
  const content = { type: 'ai-service-account', ...defined({ ...props }) };
  const findings = privacyFindings(content);
  if (props.provider === undefined) {
    findings.unshift({ code: 'privacy-not-domain', severity: 'error', path: '/provider', message: 'provider is required' });
  }
  if (props.account_pseudonym === undefined) {
    findings.unshift({ code: 'privacy-not-pseudonym', severity: 'error', path: '/account_pseudonym', message: 'account_pseudonym is required' });
  }
  if (findings.length > 0) throw new DistillationPrivacyError('cannot build ai-service-account', findings);
  const markings = tlpMarkingRefs(options.tlp ?? defaultTlp(content));
  return createExtensionObject(
    'ai-service-account',
    {
      ...(options.id !== undefined ? { id: options.id } : {}),
      ...defined({ ...props }),
      ...(markings === undefined ? {} : { object_marking_refs: markings }),
      extensions: { [AI_SERVICE_ACCOUNT_EXTENSION_ID]: { extension_type: 'new-sco' } },
    },
    stixOptions(options),
  ) as unknown as AiServiceAccount;
}

/** Raw account facts as a lab holds them; {@link aiServiceAccountFromRaw} pseudonymises them. */
export interface RawServiceAccount extends Omit<AiServiceAccountProps, 'account_pseudonym' | 'signup_email_domain' | 'payment_fingerprints' | 'api_key_fingerprints' | 'cluster_pseudonyms'> {
  /** The platform's own account id. */
  readonly accountId: string;
  /** The sign-up e-mail address: only its domain is kept. */
  readonly signupEmail?: string;
  /** Payment instruments (card numbers are reduced to digits before hashing). */
  readonly paymentInstruments?: readonly string[];
  /** Whole API keys (fingerprints are over the whole key). */
  readonly apiKeys?: readonly string[];
  /** Internal cluster labels. */
  readonly clusters?: readonly string[];
}

/** Options of {@link aiServiceAccountFromRaw}. */
export interface FromRawOptions extends Omit<DistillBuildOptions, 'created' | 'createdByRef'> {
  /**
   * The key of the sharing group the identifiers that recur across labs are correlated in (payment instruments, API
   * keys, cluster labels): members holding it derive the same pseudonym from the same raw value, so a peer can find
   * the same card in its own traffic; without it they are keyed like the account id.
   */
  readonly groupKey?: PseudonymKey;
}

/**
 * Builds an `ai-service-account` from raw facts: the account id goes through {@link pseudonymize} under `key`;
 * payment instruments ({@link paymentPseudonym}), API keys and cluster labels under `options.groupKey` (default
 * `key`); the sign-up e-mail address is reduced to its domain. This is the path that makes sure nothing raw leaves
 * the lab.
 */
export function aiServiceAccountFromRaw(raw: RawServiceAccount, key: PseudonymKey, options: FromRawOptions = {}): AiServiceAccount {
  const { accountId, signupEmail, paymentInstruments, apiKeys, clusters, ...rest } = raw;
  const { groupKey, ...buildOptions } = options;
  const shared = groupKey ?? key;
  const list = (values: readonly string[] | undefined, derive: (v: string) => string) =>
    values === undefined || values.length === 0 ? undefined : [...new Set(values.map(derive))];
  const domain = signupEmail === undefined ? undefined : signupEmail.slice(signupEmail.lastIndexOf('@') + 1).trim().toLowerCase();
  return aiServiceAccount(
    {
      ...rest,
      account_pseudonym: pseudonymize(accountId, key),
      ...defined({
        signup_email_domain: domain,
        payment_fingerprints: list(paymentInstruments, (v) => paymentPseudonym(v, shared)),
        api_key_fingerprints: list(apiKeys, (v) => pseudonymize(v, shared)),
        cluster_pseudonyms: list(clusters, (v) => pseudonymize(v, shared)),
      }),
    },
    buildOptions,
  );
}

/**
 * An opt-in `user-account` mirror of an `ai-service-account` for consumers without the suite: `user_id` is the
 * pseudonym; `is_disabled` follows a suspended or terminated status. The provider is lost (user-account has no place
 * for it, which is why the suite defines its own SCO).
 */
export function userAccountMirror(account: AiServiceAccountProps, options: Pick<DistillBuildOptions, 'tlp' | 'strict'> = {}): UserAccount {
  const markings = tlpMarkingRefs(options.tlp ?? 'amber');
  const disabled = account.status === 'suspended' || account.status === 'terminated' ? true : account.status === 'active' ? false : undefined;
  return create(
    'user-account',
    {
      user_id: account.account_pseudonym,
      ...(disabled !== undefined ? { is_disabled: disabled } : {}),
      ...(markings === undefined ? {} : { object_marking_refs: markings }),
    } as never,
    stixOptions(options),
  );
}
