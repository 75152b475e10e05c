import type { CollectionSummary, ObjectView, SignatureView } from '../../view-model.js';
import { apiPath, getJson } from '../api.js';
import { kindBadge, tlpBadge } from '../badges.js';
import { h } from '../dom.js';
import type { PageFrame } from '../page.js';
import { itemTrail, showPage, when } from '../page.js';

/** Pretty-prints stored JSON for reading; the exact stored text is one click away. */
function pretty(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

/** The signature verdict in words: trusted (and by whom), valid but untrusted (and why), or failing. */
function signatureBlock(sig: SignatureView): HTMLElement {
  const who = sig.signerName ?? sig.signer ?? 'an unknown signer';
  const verdict = sig.trusted ? `Signed by ${who}: trusted` : sig.valid ? `Signature valid but not trusted (${sig.reason ?? 'untrusted'})` : `Signature does not verify (${sig.reason ?? 'invalid'})`;
  return h(
    'div',
    { class: `signature ${sig.trusted ? 'sig-trusted' : sig.valid ? 'sig-untrusted' : 'sig-invalid'}`, id: 'signature' },
    h('p', { class: 'sig-verdict' }, verdict),
    h('p', {}, sig.message),
    sig.keyId !== undefined ? h('p', {}, 'Key ', h('code', {}, sig.keyId)) : null,
    sig.trustStore ? null : h('p', { class: 'status' }, 'This server has no trust store configured, so no key is trusted.'),
  );
}

/** One object: its markings and its newest versions, each as the exact JSON the server stores. */
export async function objectPage(frame: PageFrame, root: string, key: string, id: string): Promise<void> {
  const [view, collections] = await Promise.all([getJson<ObjectView>(`collections/${apiPath(root, key, 'objects', id)}`), getJson<CollectionSummary[]>('collections')]);
  const c = collections.find((x) => x.apiRoot === root && (x.id === key || x.alias === key));
  const markings =
    view.markings.length === 0
      ? h('p', {}, 'No object markings.')
      : h('ul', { class: 'markings' }, ...view.markings.map((m) => h('li', {}, m.tlp !== undefined ? tlpBadge(m.tlp) : h('span', { class: 'marking' }, m.name), m.statement !== undefined ? ` ${m.statement}` : '')));
  const versions = view.versions.map((v, i) =>
    h(
      'details',
      { class: 'version', open: i === 0 },
      h('summary', {}, `Version ${when(v.version)}`, i === 0 ? ' (latest)' : '', ` · added ${when(v.dateAdded)}`),
      h('pre', { class: 'json', tabindex: '0', 'aria-label': `JSON of version ${v.version}` }, pretty(v.json)),
      h('details', { class: 'exact' }, h('summary', {}, 'Exact stored text'), h('pre', { class: 'json', tabindex: '0' }, v.json)),
    ),
  );
  showPage(
    frame,
    view.name,
    itemTrail(c?.title ?? key, root, key, view.name),
    h('h1', {}, view.name, view.tlp !== undefined ? ' ' : null, tlpBadge(view.tlp)),
    h('p', { class: 'meta' }, kindBadge(view.type), ' ', h('code', {}, view.id)),
    h('section', { 'aria-labelledby': 'signature-h' }, h('h2', { id: 'signature-h' }, 'Provenance'), view.signature !== undefined ? signatureBlock(view.signature) : h('p', {}, 'Not signed.')),
    h('section', { 'aria-labelledby': 'markings-h' }, h('h2', { id: 'markings-h' }, 'Markings'), markings),
    h('section', { 'aria-labelledby': 'versions-h' }, h('h2', { id: 'versions-h' }, `Versions (${view.versions.length}${view.moreVersions ? ' newest shown' : ''})`), ...versions),
  );
}
