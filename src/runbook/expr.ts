/**
 * The runbook expression language, GitHub Actions' subset that a runbook needs:
 * `${{ steps.create.outputs.nodes[0].address }}`, `${{ vars.masters }}`, comparisons
 * (== != < <= > >=), ! && ||, literals ('text', 3, true, null), `.*` to take a field
 * from every item of a list, and a few functions (success(), failure(), always(),
 * cancelled(), contains, startsWith, endsWith, length, join, toJSON). No arithmetic.
 * Pure: text in, syntax tree out; errors are sentences naming what was expected.
 */

export type PathSeg = { key: string } | { index: number } | { wildcard: true };

export type Expr =
  | { kind: "lit"; value: string | number | boolean | null }
  | { kind: "ref"; root: string; path: PathSeg[] }
  | { kind: "call"; fn: string; args: Expr[] }
  | { kind: "not"; expr: Expr }
  | { kind: "bin"; op: BinOp; left: Expr; right: Expr };

export type BinOp = "==" | "!=" | "<" | "<=" | ">" | ">=" | "&&" | "||";

export class ExprSyntaxError extends Error {}

type Token =
  | { t: "id"; v: string }
  | { t: "num"; v: number }
  | { t: "str"; v: string }
  | { t: "op"; v: string }
  | { t: "end" };

const OPS = ["==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", ".", "[", "]", "(", ")", ",", "*"];

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      // GitHub Actions quoting: '' inside a string is one quote.
      let s = "";
      i++;
      for (;;) {
        if (i >= text.length) throw new ExprSyntaxError("a string is not closed (strings use single quotes)");
        if (text[i] === "'" && text[i + 1] === "'") (s += "'"), (i += 2);
        else if (text[i] === "'") break;
        else s += text[i++];
      }
      i++;
      out.push({ t: "str", v: s });
      continue;
    }
    const num = /^-?(?:0x[0-9a-f]+|\d+(?:\.\d+)?(?:e[+-]?\d+)?)/i.exec(text.slice(i));
    // A number only where a value may start (not `nodes.0`, which is a path).
    if (num && (out.length === 0 || !isValueEnd(out[out.length - 1]))) {
      out.push({ t: "num", v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i));
    if (id) {
      out.push({ t: "id", v: id[0] });
      i += id[0].length;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (!op) throw new ExprSyntaxError(`unexpected character '${c}'`);
    out.push({ t: "op", v: op });
    i += op.length;
  }
  out.push({ t: "end" });
  return out;
}

function isValueEnd(t: Token): boolean {
  return t.t === "id" || t.t === "num" || t.t === "str" || (t.t === "op" && (t.v === "]" || t.v === ")" || t.v === "*"));
}

const describe = (t: Token): string => (t.t === "end" ? "the end" : t.t === "str" ? `'${t.v}'` : `'${String(t.v)}'`);

const PRECEDENCE: Record<string, number> = { "||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4 };

/** Parses one expression (the text between `${{` and `}}`). */
export function parseExpr(text: string): Expr {
  const toks = tokenize(text);
  let pos = 0;
  const peek = () => toks[pos];
  const isOp = (v: string) => peek().t === "op" && (peek() as { v: string }).v === v;
  const expectOp = (v: string) => {
    if (!isOp(v)) throw new ExprSyntaxError(`expected '${v}' but found ${describe(peek())}`);
    pos++;
  };

  function primary(): Expr {
    const t = peek();
    if (t.t === "op" && t.v === "!") {
      pos++;
      return { kind: "not", expr: primary() };
    }
    if (t.t === "op" && t.v === "(") {
      pos++;
      const e = binary(0);
      expectOp(")");
      return e;
    }
    if (t.t === "num" || t.t === "str") {
      pos++;
      return { kind: "lit", value: t.v };
    }
    if (t.t !== "id") throw new ExprSyntaxError(`expected a value but found ${describe(t)}`);
    pos++;
    if (t.v === "true" || t.v === "false") return { kind: "lit", value: t.v === "true" };
    if (t.v === "null") return { kind: "lit", value: null };
    if (isOp("(")) {
      pos++;
      const args: Expr[] = [];
      if (!isOp(")")) {
        args.push(binary(0));
        while (isOp(",")) (pos++, args.push(binary(0)));
      }
      expectOp(")");
      return { kind: "call", fn: t.v, args };
    }
    return { kind: "ref", root: t.v, path: accessors() };
  }

  function accessors(): PathSeg[] {
    const path: PathSeg[] = [];
    for (;;) {
      if (isOp(".")) {
        pos++;
        const k = peek();
        if (k.t === "op" && k.v === "*") (pos++, path.push({ wildcard: true }));
        else if (k.t === "id") (pos++, path.push({ key: k.v }));
        else if (k.t === "num" && Number.isInteger(k.v)) (pos++, path.push({ index: k.v }));
        else throw new ExprSyntaxError(`expected a field name after '.' but found ${describe(k)}`);
      } else if (isOp("[")) {
        pos++;
        const k = peek();
        if (k.t === "num" && Number.isInteger(k.v) && k.v >= 0) path.push({ index: k.v });
        else if (k.t === "str") path.push({ key: k.v });
        else if (k.t === "op" && k.v === "*") path.push({ wildcard: true });
        else throw new ExprSyntaxError(`expected an index (0, 1, ...) or a quoted key inside [ ] but found ${describe(k)}`);
        pos++;
        expectOp("]");
      } else return path;
    }
  }

  function binary(min: number): Expr {
    let left = primary();
    for (;;) {
      const t = peek();
      const prec = t.t === "op" ? PRECEDENCE[t.v] : undefined;
      if (prec === undefined || prec < min) return left;
      pos++;
      const right = binary(prec + 1);
      left = { kind: "bin", op: (t as { v: BinOp }).v, left, right };
    }
  }

  if (peek().t === "end") throw new ExprSyntaxError("the expression is empty");
  const e = binary(0);
  if (peek().t !== "end") throw new ExprSyntaxError(`unexpected ${describe(peek())} after the expression`);
  return e;
}

/** A path as written after a root: `counts.masters`, `nodes[0].address`, `nodes.*.address`. */
export function parsePath(text: string): PathSeg[] {
  if (text.trim() === "") return [];
  const t = text.trim();
  const e = parseExpr(t.startsWith("[") ? `output${t}` : `output.${t}`);
  if (e.kind !== "ref") throw new ExprSyntaxError("a path is field names and [index]es, e.g. counts.masters or nodes[0].address");
  return e.path;
}

export function formatPath(path: readonly PathSeg[]): string {
  return path
    .map((s, i) => ("index" in s ? `[${s.index}]` : "wildcard" in s ? `${i ? "." : ""}*` : `${i ? "." : ""}${s.key}`))
    .join("");
}

/** A string with `${{ }}` in it: literal text and expressions, in order. */
export type Template = { parts: Array<string | Expr>; whole: boolean };

const OPEN = "${{";
const CLOSE = "}}";

export const hasExpression = (s: string): boolean => s.includes(OPEN);

/**
 * Splits text into literal parts and expressions. `whole` is true when the text is one
 * expression and nothing else: its value keeps its type (a number stays a number).
 */
export function parseTemplate(text: string): Template {
  const parts: Array<string | Expr> = [];
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf(OPEN, i);
    if (start < 0) {
      parts.push(text.slice(i));
      break;
    }
    if (start > i) parts.push(text.slice(i, start));
    const end = findClose(text, start + OPEN.length);
    if (end < 0) throw new ExprSyntaxError("'${{' is not closed by '}}'");
    parts.push(parseExpr(text.slice(start + OPEN.length, end)));
    i = end + CLOSE.length;
  }
  const exprs = parts.filter((p) => typeof p !== "string");
  const whole = exprs.length === 1 && parts.every((p) => typeof p !== "string" || p.trim() === "");
  return { parts: whole ? exprs : parts, whole };
}

/** The `}}` that closes an expression, skipping any inside quoted strings. */
function findClose(text: string, from: number): number {
  let quoted = false;
  for (let i = from; i < text.length; i++) {
    if (text[i] === "'") quoted = !quoted;
    else if (!quoted && text.startsWith(CLOSE, i)) return i;
  }
  return -1;
}

/** `if:` may be written with or without `${{ }}`, as in GitHub Actions. */
export function parseCondition(text: string): Expr {
  const t = text.trim();
  if (!hasExpression(t)) return parseExpr(t);
  const tpl = parseTemplate(t);
  if (!tpl.whole) throw new ExprSyntaxError("an if: condition is one expression; write it with or without ${{ }}, not mixed with text");
  return tpl.parts[0] as Expr;
}

/** Every reference in an expression (for validation: which steps, vars, env it reads). */
export function refsOf(e: Expr, out: Array<Extract<Expr, { kind: "ref" }>> = []): Array<Extract<Expr, { kind: "ref" }>> {
  if (e.kind === "ref") out.push(e);
  else if (e.kind === "call") e.args.forEach((a) => refsOf(a, out));
  else if (e.kind === "not") refsOf(e.expr, out);
  else if (e.kind === "bin") (refsOf(e.left, out), refsOf(e.right, out));
  return out;
}

export function callsOf(e: Expr, out: string[] = []): string[] {
  if (e.kind === "call") (out.push(e.fn), e.args.forEach((a) => callsOf(a, out)));
  else if (e.kind === "not") callsOf(e.expr, out);
  else if (e.kind === "bin") (callsOf(e.left, out), callsOf(e.right, out));
  return out;
}
