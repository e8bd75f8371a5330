/**
 * Reads a runbook's YAML keeping positions, so every problem can name its line and
 * column: `locate(["steps", 2, "with", "replicas"])` is where that value was written (or
 * the nearest enclosing node that exists, e.g. the step for a missing `confirm`).
 */
import { isMap, isNode, isSeq, LineCounter, parseDocument, type Document } from "yaml";

export type YamlPath = ReadonlyArray<string | number>;

export interface Position {
  line: number;
  column: number;
}

export interface LoadedYaml {
  data: unknown;
  locate(path: YamlPath): Position;
  /** Syntax errors, each with its position; data is undefined when there are any. */
  syntaxErrors: Array<Position & { message: string }>;
}

function firstLine(message: string): string {
  return message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "").replace(/\.$/, "");
}

export function loadYaml(text: string): LoadedYaml {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const pos = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const syntaxErrors = doc.errors.map((e) => ({ ...pos(e.pos[0]), message: firstLine(e.message) }));
  const locate = (path: YamlPath): Position => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) {
        // For a collection, point at its first entry's key, which is the line a reader looks at.
        if ((isMap(node) || isSeq(node)) && n < path.length && node.items.length) {
          const first = node.items[0] as { key?: unknown; range?: [number, number, number] };
          const key = isNode(first?.key) ? first.key : first;
          if (isNode(key) && key.range) return pos(key.range[0]);
        }
        return pos(node.range[0]);
      }
    }
    return { line: 1, column: 1 };
  };
  return { data: syntaxErrors.length ? undefined : doc.toJS({ maxAliasCount: 100 }), locate, syntaxErrors };
}
