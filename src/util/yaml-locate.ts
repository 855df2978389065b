// "file:line" for a path of a parsed YAML (or JSON) document: the line of the key, or of the value,
// at that path; a missing key is placed at its parent's key line. Used by the config loader and the
// emulator's world loader, with the shared issue formatter (issues.ts).
import type { Document, LineCounter, Node as YamlNode } from 'yaml';
import { yaml } from './yaml-lib.js';
import type { IssuePath, Locate } from './issues.js';

/** A locator over `doc` whose places read "<label>:<line>" (or just the label where the path has no node). */
export function yamlLocator(doc: Document, lc: LineCounter, label: string): Locate {
  const { isAlias, isMap, isSeq } = yaml();
  return (path: IssuePath, at: 'key' | 'value') => {
    let node: unknown = doc.contents;
    let best: unknown = node;
    // a missing key is reported at its parent's key line ("datacenter:"), not at a sibling
    let parentKey: unknown;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      if (isAlias(node)) node = node.resolve(doc);
      if (isMap(node)) {
        const pair = node.items.find((p) => {
          const k = p.key as { value?: unknown } | null;
          return k !== null && typeof k === 'object' && String(k.value) === String(seg);
        });
        if (!pair) {
          if (parentKey) best = parentKey;
          break;
        }
        const last = i === path.length - 1;
        parentKey = pair.key;
        node = last && at === 'key' ? pair.key : pair.value ?? pair.key;
      } else if (isSeq(node) && typeof seg === 'number') {
        node = node.items[seg];
        parentKey = node;
      } else break;
      if (node && typeof node === 'object' && 'range' in node) best = node;
    }
    const range = (best as YamlNode | null)?.range;
    if (!range) return label;
    return `${label}:${lc.linePos(range[0]).line}`;
  };
}
