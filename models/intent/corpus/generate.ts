/**
 * Writes the intent corpus `models/intent/corpus/{train,heldout}.jsonl` from `templates.ts`.
 *
 * Each template is filled with slot values, then styled the way engineers type: lower-cased and
 * unpunctuated (terse), abbreviated (k8s, ns, deploy, svc, po, pls), with typos (dropped, doubled,
 * swapped or neighbouring-key letters), wrapped in polite or rude words; some lines join two requests
 * (labelled with the first). Each line: `{"text", "label", "style"}`; every tenth line (seeded) goes
 * to `heldout.jsonl`. Seeded: the same templates give the same files.
 *
 * Run: `npm run corpus:intent` (`npx tsx models/intent/corpus/generate.ts`).
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INTENT_LABELS, INTENT_TEMPLATES, JOINERS, NS_PHRASES, type IntentLabel } from './templates.js';
import { fillIntent, int, mulberry32, pick, type Rng } from './slots.js';

/** One labelled corpus line. */
export interface IntentLine {
  readonly text: string;
  readonly label: IntentLabel;
  readonly style: string;
}

/** Lines drawn per label (before two-request lines); action verbs with few templates draw fewer. */
const PER_LABEL: Partial<Record<IntentLabel, number>> = {
  'kubernetes_action:cordon': 120, 'kubernetes_action:uncordon': 120, 'kubernetes_action:drain': 140,
  'kubernetes_action:delete': 260, 'kubernetes_action:read_secret': 300, 'kubernetes_action:rollback': 220,
  'kubernetes_action:restart': 320, 'kubernetes_action:scale': 360, clarify: 420,
};
const DEFAULT_PER_LABEL = 700;
/** Share of extra lines that hold two requests. */
const TWO_REQUEST_SHARE = 0.1;

const ABBREVIATIONS: ReadonlyArray<[RegExp, readonly string[]]> = [
  [/\bkubernetes\b/g, ['k8s', 'kube']], [/\bnamespace\b/g, ['ns']], [/\bdeployment\b/g, ['deploy', 'dep']], [/\bservice\b/g, ['svc']],
  [/\bpods\b/g, ['po', 'pods']], [/\bpod\b/g, ['po']], [/\bplease\b/g, ['pls', 'plz']], [/\bproduction\b/g, ['prod']], [/\bconfiguration\b/g, ['config', 'cfg']],
  [/\bthanks\b/g, ['thx', 'ty']], [/\byou\b/g, ['u']], [/\bare\b/g, ['r']], [/\bwhat is\b/g, ['whats', 'wat is']], [/\bwhy is\b/g, ['y is', 'why']],
  [/\berrors\b/g, ['errs', 'errors']], [/\bminutes\b/g, ['min', 'mins', 'm']], [/\bhour\b/g, ['hr', 'h']], [/\bbecause\b/g, ['bc', 'cuz']],
  [/\bdatabase\b/g, ['db']], [/\blogs\b/g, ['logz', 'logs']], [/\breplicas\b/g, ['reps', 'replicas']], [/\bstatefulset\b/g, ['sts']],
  [/\bpersistent volume claim\b/g, ['pvc']], [/\bhorizontal pod autoscaler\b/g, ['hpa']], [/\bfor\b/g, ['4']], [/\bto\b/g, ['2', 'to']],
];
const KEYBOARD = 'qwertyuiop asdfghjkl zxcvbnm';
const POLITE_PRE = ['hi, ', 'hey, ', 'hello team, ', 'sorry to bother, ', 'quick one: ', 'hi! ', 'good morning, ', 'hey bot, ', 'morning - '];
const POLITE_POST = [' thanks', ' thank you!', ' please', ', pls', ' thx', ' 🙏', ' when you have a sec', ', thanks a lot'];
const RUDE_POST = [' asap', ' now!!', ' ffs', ' wtf', ' already', ' c\'mon', '!!!', ' ugh', ' again??'];

function abbreviate(text: string, rng: Rng): string {
  let out = text;
  for (const [re, subs] of ABBREVIATIONS) if (rng() < 0.6) out = out.replace(re, () => pick(rng, subs));
  return out;
}

function typoWord(word: string, rng: Rng): string {
  if (word.length < 4 || !/^[a-z]+$/i.test(word)) return word;
  const i = int(rng, 1, word.length - 2);
  switch (int(rng, 0, 3)) {
    case 0: return word.slice(0, i) + word.slice(i + 1); // dropped
    case 1: return word.slice(0, i) + word[i] + word.slice(i); // doubled
    case 2: return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2); // swapped
    default: {
      const row = KEYBOARD.indexOf(word[i]!.toLowerCase());
      const near = row < 0 ? word[i]! : KEYBOARD[Math.max(0, Math.min(KEYBOARD.length - 1, row + (rng() < 0.5 ? 1 : -1)))]!.trim() || word[i]!;
      return word.slice(0, i) + near + word.slice(i + 1);
    }
  }
}

function typos(text: string, rng: Rng): string {
  const words = text.split(' ');
  // Most lines carry one or two slips; some are typed in a hurry with three ("waht chnaged yestreday").
  const edits = rng() < 0.2 ? 3 : int(rng, 1, 2);
  for (let e = 0; e < edits; e++) {
    const k = int(rng, 0, words.length - 1);
    words[k] = typoWord(words[k]!, rng);
  }
  return words.join(' ');
}

const terse = (text: string): string => text.toLowerCase().replace(/\b(?:the|a|an|is|are)\s+/g, '').replace(/[?.!]+$/, '').trim() || text;

/** Fills one template of `label` and styles it; returns the text and the style applied. */
function draw(label: IntentLabel, rng: Rng): { text: string; style: string } {
  const template = pick(rng, INTENT_TEMPLATES[label]).replace(/\{NS\}/g, () => pick(rng, NS_PHRASES));
  let text = fillIntent(template, rng);
  const styles: string[] = [];
  if (rng() < 0.3) { text = terse(text); styles.push('terse'); }
  if (rng() < 0.35) { text = abbreviate(text, rng); styles.push('abbrev'); }
  if (rng() < 0.35) { text = typos(text, rng); styles.push('typo'); }
  const r = rng();
  if (r < 0.12) { text = pick(rng, POLITE_PRE) + text; styles.push('polite'); }
  else if (r < 0.22) { text = text + pick(rng, POLITE_POST); styles.push('polite'); }
  else if (r < 0.28) { text = text + pick(rng, RUDE_POST); styles.push('rude'); }
  if (rng() < 0.1) text = text.charAt(0).toUpperCase() + text.slice(1);
  return { text, style: styles.join('+') || 'plain' };
}

/** Builds both splits in memory (deterministic for a given `seed`). */
export function generateIntentCorpus(seed = 20261207): { train: IntentLine[]; heldout: IntentLine[] } {
  const rng = mulberry32(seed);
  const lines: IntentLine[] = [];
  const seen = new Set<string>();
  const push = (line: IntentLine): void => {
    const key = line.text.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    lines.push(line);
  };
  for (const label of INTENT_LABELS) {
    const want = PER_LABEL[label] ?? DEFAULT_PER_LABEL;
    const before = lines.length;
    for (let attempt = 0; lines.length - before < want && attempt < want * 8; attempt++) push({ label, ...draw(label, rng) });
  }
  const firsts = INTENT_LABELS.filter((l) => l !== 'clarify');
  const twoRequests = Math.round(lines.length * TWO_REQUEST_SHARE);
  for (let i = 0; i < twoRequests; i++) {
    const a = pick(rng, firsts);
    let b = pick(rng, firsts);
    if (b === a) b = firsts[(firsts.indexOf(a) + 3) % firsts.length]!;
    const first = draw(a, rng);
    const second = draw(b, rng);
    push({ label: a, text: `${first.text.replace(/[?.!]+$/, '')}${pick(rng, JOINERS)}${second.text}`, style: 'two_requests' });
  }
  const train: IntentLine[] = [];
  const heldout: IntentLine[] = [];
  for (const line of lines) (rng() < 0.1 ? heldout : train).push(line);
  return { train, heldout };
}

const toJsonl = (lines: readonly IntentLine[]): string => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const dir = dirname(fileURLToPath(import.meta.url));
  const { train, heldout } = generateIntentCorpus();
  writeFileSync(join(dir, 'train.jsonl'), toJsonl(train));
  writeFileSync(join(dir, 'heldout.jsonl'), toJsonl(heldout));
  const counts = new Map<string, number>();
  for (const l of [...train, ...heldout]) counts.set(l.label, (counts.get(l.label) ?? 0) + 1);
  console.log(`intent corpus: ${train.length} training lines, ${heldout.length} held-out lines; ${[...counts].map(([l, n]) => `${l} ${n}`).join(', ')}`);
}
