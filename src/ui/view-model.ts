import type { CorroborationRow } from '../match/corroboration.js';

/**
 * The JSON shapes the analyst view's browser code receives from `/ui/api/`. Shared by the server (which builds them)
 * and the client bundle (which renders them), so the two cannot drift apart. Every string in them may come from
 * another lab: the client renders them as text only.
 */

/** How a node is drawn: one colour and shape per kind. */
export type NodeKind =
  | 'campaign'
  | 'account'
  | 'infrastructure'
  | 'indicator'
  | 'fingerprint'
  | 'model'
  | 'technique'
  | 'actor'
  | 'lab'
  | 'sighting'
  | 'evidence'
  | 'other';

/** TLP level shown as a coloured badge (TLP 2.0 names; TLP 1.0 WHITE shows as CLEAR). */
export type TlpBadge = 'clear' | 'green' | 'amber' | 'amber+strict' | 'red';

export interface GraphNode {
  readonly id: string;
  readonly type: string;
  readonly kind: NodeKind;
  readonly label: string;
  /** Hops from the campaign. */
  readonly depth: number;
  readonly tlp?: TlpBadge;
}

export interface GraphEdge {
  readonly source: string;
  readonly target: string;
  /** `relationship_type`, or `sighting-of`, `sighted-by`, `contains`, `refers-to`, `targets`. */
  readonly label: string;
}

export interface CampaignGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  /** True when the node limit or the scan limit cut the graph short. */
  readonly truncated: boolean;
  /** Nodes per kind (before truncation of nothing: the counts of what is shown). */
  readonly counts: Readonly<Partial<Record<NodeKind, number>>>;
}

/** One interval of observed request volume (a sighting with the request-volume extension). */
export interface VolumePoint {
  readonly sighting: string;
  readonly lab: string;
  readonly start: string;
  readonly end: string;
  readonly requests: number;
  readonly accounts?: number;
  readonly interval?: string;
}

/** Sightings of the campaign (or of anything in its graph) by one lab. */
export interface LabSightings {
  readonly lab: string;
  readonly labId: string;
  readonly sightings: number;
  readonly count: number;
  readonly firstSeen?: string;
  readonly lastSeen?: string;
}

export interface CampaignView {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly tlp?: TlpBadge;
  readonly firstSeen?: string;
  readonly lastSeen?: string;
  readonly graph: CampaignGraph;
  readonly timeline: readonly VolumePoint[];
  readonly labs: readonly LabSightings[];
}

export interface CollectionSummary {
  readonly apiRoot: string;
  readonly id: string;
  readonly title: string;
  readonly description?: string;
  readonly alias?: string;
  readonly canWrite: boolean;
}

export interface ObjectListItem {
  readonly id: string;
  readonly type: string;
  readonly name: string;
  readonly version: string;
  readonly dateAdded: string;
  readonly tlp?: TlpBadge;
}

export interface ObjectList {
  readonly items: readonly ObjectListItem[];
  /** Opaque position for the next page; absent on the last page. */
  readonly next?: string;
}

export interface MarkingView {
  readonly id: string;
  readonly name: string;
  readonly tlp?: TlpBadge;
  /** Statement text of a statement marking. */
  readonly statement?: string;
}

export interface ObjectVersionView {
  readonly version: string;
  readonly dateAdded: string;
  /** The exact JSON text the server stores and serves. */
  readonly json: string;
}

/** The JSS signature verdict on an object (see the provenance module). */
export interface SignatureView {
  readonly valid: boolean;
  readonly trusted: boolean;
  readonly signer?: string;
  readonly signerName?: string;
  readonly keyId?: string;
  readonly reason?: string;
  readonly message: string;
  /** Whether the server has a trust store to judge keys with. */
  readonly trustStore: boolean;
}

/** One row of the corroboration table: the matching module's row with a display name (sums it does not show left out). */
export type CorroborationRowView = Omit<CorroborationRow, 'name' | 'accounts' | 'requests' | 'via'> & { readonly name: string };

export interface CorroborationView {
  /** Sightings were checked against the server's trust store. */
  readonly verified: boolean;
  /** The scan limit cut the input short. */
  readonly truncated: boolean;
  readonly rows: readonly CorroborationRowView[];
  readonly labNames: Readonly<Record<string, string>>;
}

export interface ObjectView {
  readonly id: string;
  readonly type: string;
  readonly name: string;
  readonly tlp?: TlpBadge;
  readonly markings: readonly MarkingView[];
  /** Present when the latest version carries JSS signatures. */
  readonly signature?: SignatureView;
  /** Newest first; at most the view's version limit. */
  readonly versions: readonly ObjectVersionView[];
  readonly moreVersions: boolean;
}
