// The strings blocks Ladder writes into SCO pages (script#ladder-strings), read from the SCO
// page snapshots that the Swift tests compare with the renderer's output
// (Tests/LadderKitTests/__Snapshots__/SCOPageSnapshotTests). The runtime tests use the
// catalogue's own text this way instead of a copy of it.
import { readFileSync } from 'node:fs';

const SNAPSHOTS = new URL('../LadderKitTests/__Snapshots__/SCOPageSnapshotTests/', import.meta.url);

/** A snapshot page of the sample: kind is module, assessment or shadowing; lang en, es, fr or de. */
export function snapshotPage(kind, lang = 'en') {
  const name = (lang === 'en' ? '' : lang + '.') + 'inform-customers.' + kind + '.html';
  return readFileSync(new URL(name, SNAPSHOTS), 'utf8');
}

/** The parsed strings block of a page's HTML, or null when it has none. */
export function stringsBlock(html) {
  const m = /<script type="application\/json" id="ladder-strings">([\s\S]*?)<\/script>/.exec(html);
  return m ? JSON.parse(m[1]) : null;
}

/** The strings block a page of `kind` carries in `lang`. */
export function pageStrings(kind, lang = 'en') {
  return stringsBlock(snapshotPage(kind, lang));
}
