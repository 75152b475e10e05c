import { create } from '../../stix/create.js';
import type { Bundle } from '../../stix/types/index.js';
import { aiServiceAccountFromRaw, userAccountMirror } from '../ai-service-account.js';
import { atlasAttackPattern, atlasCourseOfAction } from '../atlas.js';
import { atlasExternalReference } from '../atlas-ids.js';
import { organizationIdentity } from '../identity.js';
import { paymentFingerprintIndicator } from '../indicators.js';
import { assemblePackage } from '../package.js';
import { paymentPseudonym } from '../pseudonym.js';
import { relate } from '../relationships.js';
import { commonProps } from '../build-options.js';
import { PARTIES, scenarioContext } from './context.js';
import type { ScenarioOptions } from './context.js';

/** When Lab C shares S4. */
export const S4_CREATED = '2026-04-22T10:30:00.000Z';
/** How many programme accounts S4 describes. */
export const S4_ACCOUNT_COUNT = 60;
/** The (test) card number every S4 account paid with; only its pseudonym is shared. */
export const S4_SHARED_CARD = '4111 1111 1111 1111';

/**
 * S4, programme-signup abuse (Lab C, TLP:AMBER+STRICT): 60 education-programme accounts that share one payment
 * instrument, built from raw facts (account ids, sign-up addresses, card number) that are pseudonymised or reduced to
 * a domain on the way in; an indicator on the shared payment fingerprint; ATLAS Establish Accounts; Lab C's response
 * (verification tightened) referencing ATLAS AML.M0019; user-account mirrors and observed-data for consumers without
 * the suite.
 */
export function signupAbuse(options: ScenarioOptions = {}): Bundle {
  const { ids, key } = scenarioContext(options);
  const created = S4_CREATED;
  const labC = organizationIdentity({ name: PARTIES.labC, description: 'Frontier AI developer (fictional).' }, { id: ids('identity', PARTIES.labC), created });
  const by = (type: string, name: string) => ({ id: ids(type, name), created, createdByRef: labC.id });
  const common = (type: string, name: string) => commonProps(by(type, name));
  const accounts = Array.from({ length: S4_ACCOUNT_COUNT }, (_, i) =>
    aiServiceAccountFromRaw(
      {
        provider: 'api.lab-c.example.com',
        accountId: `lc-edu-${String(40_100 + i)}`,
        signupEmail: `student${String(i + 1).padStart(2, '0')}@mailbox.example.com`,
        paymentInstruments: [S4_SHARED_CARD],
        clusters: ['edu-ring-3'],
        account_category: 'education-program',
        status: 'terminated',
        first_activity: '2026-04-02T00:00:00Z',
        last_activity: '2026-04-19T00:00:00Z',
      },
      key,
    ),
  );
  const mirrors = accounts.map((a) => userAccountMirror(a));
  const paymentFingerprint = paymentPseudonym(S4_SHARED_CARD, key);
  const indicator = paymentFingerprintIndicator(paymentFingerprint, {
    ...by('indicator', 'shared payment fingerprint'),
    name: 'Education-programme accounts sharing one payment instrument',
    description:
      'Matches AI service accounts whose payment instrument has this keyed fingerprint (key fmf-2026q2). Sixty education-programme sign-ups at Lab C shared it before termination.',
    valid_from: created,
  });
  const observed = create(
    'observed-data',
    {
      ...common('observed-data', 'programme accounts'),
      first_observed: '2026-04-02T00:00:00.000Z',
      last_observed: '2026-04-19T00:00:00.000Z',
      number_observed: 1,
      object_refs: [...accounts.map((a) => a.id), ...mirrors.map((m) => m.id)],
    } as never,
  );
  const establish = atlasAttackPattern('AML.T0021');
  const control = atlasCourseOfAction('AML.M0019');
  const response = create(
    'course-of-action',
    {
      ...common('course-of-action', 'verification-tightened'),
      name: 'verification-tightened',
      description:
        'Education-programme sign-ups now need institutional verification; a payment instrument may back at most three programme accounts.',
      external_references: [atlasExternalReference('AML.M0019')],
    } as never,
  );
  const note = create(
    'note',
    {
      ...common('note', 'programme abuse summary'),
      abstract: 'Education-programme sign-up abuse',
      content: `${S4_ACCOUNT_COUNT} education-programme accounts on api.lab-c.example.com, sign-ups from mailbox.example.com, one shared payment instrument; all terminated.`,
      object_refs: [indicator.id, observed.id],
    } as never,
  );
  return assemblePackage(
    [
      labC,
      ...accounts,
      ...mirrors,
      observed,
      indicator,
      establish,
      control,
      response,
      note,
      relate(indicator, 'indicates', establish, by('relationship', 'indicator indicates T0021')),
      relate(response, 'mitigates', establish, by('relationship', 'response mitigates T0021')),
    ],
    { id: ids('bundle', 'signup-abuse'), producerRef: labC.id, tlpFloor: 'amber+strict' },
  );
}
