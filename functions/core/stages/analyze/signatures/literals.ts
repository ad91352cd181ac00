/**
 * Required literals of a regular expression, read from its source: a set of strings such that
 * every match of the expression contains at least one of them (an OR-set). The signature index
 * ({@link ./prefilter.ts}) scans a line for all signatures' literals at once and runs only the
 * expressions whose literals are there, so a line with no failure words skips them all.
 *
 * Derived, never declared: a signature added later gets its literals from its own pattern. An
 * expression whose literals cannot be read (a construct this reader does not know, or only
 * character classes) gets `undefined` and is always run: the reading errs towards running.
 *
 * What is read: literal characters and escapes (`\.`, `\n`, `\x41`, `\u0041`), groups of every
 * kind, alternation, quantifiers (`?`, `*`, `{0,n}` make their atom optional; `+`, `{n,}` keep it
 * required), zero-width assertions (`\b`, `^`, `$`) and lookarounds (no characters). Character
 * classes, `.`, `\d`-style classes and back-references match unknown characters.
 */

/** Strings a node can match exactly (small finite sets), and what every match contains. */
interface Info {
  /** Every string the node can match, when they are few; `undefined` otherwise. */
  readonly exact?: readonly string[];
  /** Every match contains one of these; `undefined`: nothing known. */
  readonly required?: readonly string[];
}

/** Exact sets larger than this are forgotten (their required literals are kept). */
const MAX_EXACT = 16;

class Unreadable extends Error {}

/** Parser over a regular expression's source (Annex B syntax, flags without `u`/`v` or with `u`). */
class Reader {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): Info {
    const info = this.alternation();
    if (this.i < this.src.length) throw new Unreadable(`unexpected ${this.src[this.i]}`);
    return info;
  }

  private alternation(): Info {
    const branches: Info[] = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      branches.push(this.sequence());
    }
    return branches.length === 1 ? branches[0]! : union(branches);
  }

  private sequence(): Info {
    const items: Info[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const run = this.literalRun();
      items.push(run.length > 0 ? literal(run) : this.quantified(this.atom()));
    }
    return concat(items);
  }

  /** Plain characters read at once, up to one that is special or quantified (a fast path). */
  private literalRun(): string {
    const src = this.src;
    const start = this.i;
    let end = start;
    while (end < src.length && !SPECIAL.has(src[end]!)) {
      const next = src[end + 1];
      if (next === '*' || next === '+' || next === '?' || (next === '{' && quantifierAt(src, end + 1))) break;
      end++;
    }
    this.i = end;
    return src.slice(start, end);
  }

  private atom(): Info {
    const c = this.src[this.i]!;
    switch (c) {
      case '(': return this.group();
      case '[': this.skipClass(); return {};
      case '.': this.i++; return {};
      case '^': case '$': this.i++; return { exact: [''] };
      case '\\': return this.escape();
      case '*': case '+': case '?': throw new Unreadable('quantifier without atom');
      default:
        // a `{` that does not start a quantifier is a literal (Annex B)
        if (c === '{' && quantifierAt(this.src, this.i)) throw new Unreadable('quantifier without atom');
        this.i++;
        return char(c);
    }
  }

  private group(): Info {
    const src = this.src;
    this.i++; // (
    const groupStart = this.i;
    let zeroWidth = false;
    if (src[this.i] === '?') {
      const rest = src.slice(this.i, this.i + 3);
      if (rest.startsWith('?:')) this.i += 2;
      else if (rest.startsWith('?=') || rest.startsWith('?!')) { this.i += 2; zeroWidth = true; }
      else if (rest === '?<=' || rest === '?<!') { this.i += 3; zeroWidth = true; }
      else if (rest.startsWith('?<')) {
        const end = src.indexOf('>', this.i);
        if (end < 0) throw new Unreadable('unterminated group name');
        this.i = end + 1;
      } else throw new Unreadable(`group ${rest}`);
    }
    const inner = this.alternation();
    if (src[this.i] !== ')') throw new Unreadable('unterminated group');
    this.i++;
    if (!zeroWidth) return inner;
    // a positive lookaround's words are in the line too; a negative one says nothing
    const positive = src[groupStart + 1] === '=' || src[groupStart + 2] === '=';
    const required = positive ? inner.required ?? requiredOf(inner.exact) : undefined;
    return required ? { exact: [''], required } : { exact: [''] };
  }

  private skipClass(): void {
    const src = this.src;
    this.i++; // [
    if (src[this.i] === '^') this.i++;
    // `[]` and `[^]` are complete in JavaScript: a `]` right after `[` or `[^` closes the class
    while (this.i < src.length && src[this.i] !== ']') {
      if (src[this.i] === '\\') this.i++;
      else if (src[this.i] === '[') throw new Unreadable('nested class');
      this.i++;
    }
    if (src[this.i] !== ']') throw new Unreadable('unterminated class');
    this.i++;
  }

  private escape(): Info {
    const src = this.src;
    const c = src[this.i + 1];
    if (c === undefined) throw new Unreadable('trailing backslash');
    this.i += 2;
    switch (c) {
      case 'b': case 'B': return { exact: [''] };
      case 'd': case 'D': case 'w': case 'W': case 's': case 'S': return {};
      case 'n': return char('\n');
      case 't': return char('\t');
      case 'r': return char('\r');
      case 'f': return char('\f');
      case 'v': return char('\v');
      case 'x': {
        const hex = /^[0-9a-fA-F]{2}/.exec(src.slice(this.i))?.[0];
        if (!hex) throw new Unreadable('\\x');
        this.i += 2;
        return char(String.fromCharCode(parseInt(hex, 16)));
      }
      case 'u': {
        const hex = /^[0-9a-fA-F]{4}/.exec(src.slice(this.i))?.[0];
        if (!hex) throw new Unreadable('\\u');
        this.i += 4;
        return char(String.fromCharCode(parseInt(hex, 16)));
      }
      case 'c': case 'k': case 'p': case 'P': case '0':
        throw new Unreadable(`\\${c}`);
      default:
        if (/[1-9]/.test(c)) return {}; // back-reference: unknown characters
        if (/[A-Za-z]/.test(c)) throw new Unreadable(`\\${c}`);
        return char(c);
    }
  }

  private quantified(atom: Info): Info {
    const src = this.src;
    let min: number;
    const c = src[this.i];
    if (c === '*') { min = 0; this.i++; }
    else if (c === '+') { min = 1; this.i++; }
    else if (c === '?') { min = 0; this.i++; }
    else if (c === '{' && quantifierAt(src, this.i)) {
      const m = /^\{(\d+)(,\d*)?\}/.exec(src.slice(this.i))!;
      min = Number(m[1]);
      this.i += m[0].length;
      if (m[2] === undefined && min >= 1 && min <= 4 && atom.exact) {
        // `x{3}`: exactly that many copies
        if (src[this.i] === '?') this.i++;
        let out: readonly string[] = [''];
        for (let k = 0; k < min && out; k++) out = cross(out, atom.exact) ?? [];
        return out.length > 0 ? { exact: out, required: requiredOf(out) } : { required: atom.required };
      }
    } else return atom;
    if (src[this.i] === '?') this.i++; // lazy
    if (min === 0) return c === '?' && atom.exact ? { exact: dedupe([...atom.exact, '']) } : {};
    return { required: atom.required ?? requiredOf(atom.exact) };
  }
}

function quantifierAt(src: string, i: number): boolean {
  return /^\{\d+(?:,\d*)?\}/.test(src.slice(i, i + 24));
}

/** Characters that are not plain literals (or may not be: `{` starts a quantifier, `}`/`]` are read by {@link Reader.atom}). */
const SPECIAL = new Set(['\\', '^', '$', '.', '|', '?', '*', '+', '(', ')', '[', ']', '{', '}']);

function literal(text: string): Info {
  const set = [text];
  return { exact: set, required: set };
}

function char(c: string): Info {
  return literal(c);
}

function dedupe(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}

/** Every string of `a` followed by every string of `b`; `undefined` when too many. */
function cross(a: readonly string[], b: readonly string[]): string[] | undefined {
  if (b.length === 1) return a.map((x) => x + b[0]); // distinct strings stay distinct
  if (a.length * b.length > MAX_EXACT) return undefined;
  const out: string[] = [];
  for (const x of a) for (const y of b) out.push(x + y);
  return dedupe(out);
}

/** An exact set as a required set: only when it holds no empty string. */
function requiredOf(exact: readonly string[] | undefined): readonly string[] | undefined {
  return exact && exact.length > 0 && exact.every((s) => s.length > 0) ? exact : undefined;
}

/** How useful a required set is: its shortest literal's length (longer literals are rarer). */
function score(set: readonly string[] | undefined): number {
  if (!set || set.length === 0) return 0;
  let min = Infinity;
  for (const s of set) if (s.length < min) min = s.length;
  return min;
}

function better(a: readonly string[] | undefined, b: readonly string[] | undefined): readonly string[] | undefined {
  const sa = score(a);
  const sb = score(b);
  if (sb > sa || (sb === sa && sb > 0 && b!.length < a!.length)) return b;
  return a;
}

function union(branches: readonly Info[]): Info {
  let exact: string[] | undefined = [];
  let required: string[] | undefined = [];
  for (const b of branches) {
    if (exact && b.exact && exact.length + b.exact.length <= MAX_EXACT) exact.push(...b.exact);
    else exact = undefined;
    const r = b.required ?? requiredOf(b.exact);
    if (required && r) required.push(...r);
    else required = undefined;
  }
  return { ...(exact ? { exact: dedupe(exact) } : {}), ...(required ? { required: dedupe(required) } : {}) };
}

function concat(items: readonly Info[]): Info {
  let run: readonly string[] = [''];
  let broken = false;
  let best: readonly string[] | undefined;
  for (const item of items) {
    // what an item requires, every match of the sequence contains (a lookahead's words too; what
    // its exact strings require, the run holds)
    if (item.required !== item.exact) best = better(best, item.required);
    const joined = item.exact ? cross(run, item.exact) : undefined;
    if (joined) {
      run = joined;
      continue;
    }
    // the run ends here: every match holds one of its strings
    best = better(best, requiredOf(run));
    broken = true;
    run = item.exact ?? [''];
  }
  best = better(best, requiredOf(run));
  return broken ? (best ? { required: best } : {}) : { exact: run, ...(best ? { required: best } : {}) };
}

/**
 * The literals one of which every match of `pattern` contains, lower-cased when the pattern
 * ignores case; `undefined` when none can be read (the pattern must then always be run).
 * @example
 * requiredLiterals(/\bOOMKill(?:ed|ing)\b/); // ['OOMKilled', 'OOMKilling']
 * requiredLiterals(/\bexit code:? 137\b/i);  // ['exit code'] (lower-cased)
 */
export function requiredLiterals(pattern: RegExp): string[] | undefined {
  if (pattern.flags.includes('v')) return undefined;
  let info: Info;
  try {
    info = new Reader(pattern.source).parse();
  } catch (error) {
    if (error instanceof Unreadable) return undefined;
    throw error;
  }
  const required = info.required ?? requiredOf(info.exact);
  if (!required || required.length === 0 || required.some((s) => s.length === 0)) return undefined;
  const literals = dedupe(pattern.ignoreCase ? required.map((s) => s.toLowerCase()) : required);
  // a literal holding another one adds nothing: the shorter one is found wherever it is
  return literals.filter((s) => !literals.some((t) => t !== s && s.includes(t)));
}
