import { rememberSourceText } from '../../stix/source-text.js';
import { StixTextSplitter } from '../../stix/text-splitter.js';

/**
 * Records the server's text of each object of an envelope body (TAXII §3.7), so that `pull` and re-sharing write the
 * bytes the server holds rather than a re-serialisation (`2.0` would become `2`). The splitter yields the texts of the
 * `objects` array in order, which is the order of the parsed items; if the counts disagree (a body the splitter reads
 * differently from `JSON.parse`), nothing is recorded and writers fall back to `JSON.stringify`.
 */
export function rememberEnvelopeTexts(items: readonly unknown[], body: string): void {
  if (items.length === 0) return;
  const splitter = new StixTextSplitter({ maxObjectLength: Number.MAX_SAFE_INTEGER });
  const pieces = [...splitter.push(body), ...splitter.end()];
  if (pieces.length !== items.length) return;
  for (let i = 0; i < items.length; i++) {
    const piece = pieces[i] as { text?: string };
    const item = items[i];
    if (piece.text === undefined || item === null || typeof item !== 'object') return;
    rememberSourceText(item, piece.text);
  }
}
