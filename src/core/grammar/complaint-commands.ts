import { checkNote, parseContactId } from './command-parts';
import { complaintWordAt, complaintWordError, type ComplaintCategory, type ComplaintLevel } from '../complaints';
import { parseAtSpec, type AtSpec } from '../time/time-of-day';
import { fail, ok, type Result } from '../result';

/** The complaint process after registration: 确认 → 方案 → 批准 → 回访, and linking one problem's complaints. */
export type ComplaintCommand =
  | { readonly kind: 'confirm'; readonly id: number; readonly level: ComplaintLevel; readonly category: ComplaintCategory; readonly department: string | null }
  | { readonly kind: 'plan'; readonly id: number; readonly text: string; readonly due: AtSpec | null }
  | { readonly kind: 'approve'; readonly id: number }
  | { readonly kind: 'followup'; readonly id: number; readonly score: number; readonly note: string }
  | { readonly kind: 'link'; readonly ids: readonly number[] };

const VERBS: Readonly<Record<string, ComplaintCommand['kind']>> = {
  confirm: 'confirm',
  确认: 'confirm',
  plan: 'plan',
  方案: 'plan',
  approve: 'approve',
  批准: 'approve',
  followup: 'followup',
  'follow-up': 'followup',
  回访: 'followup',
  link: 'link',
  关联: 'link',
};

const DEPT_KEYS = ['dept', 'department', '部门'];
const DUE_KEYS = ['due', '截止', '期限'];

/**
 * Parses a complaint command from its words (the verb first). `rest(i)` is the original
 * text from word i on; `span(a, b)` the original text of words a … b-1.
 */
export function parseComplaintCommand(words: readonly string[], rest: (from: number) => string, span: (from: number, to: number) => string): Result<ComplaintCommand> {
  const verb = VERBS[(words[0] ?? '').toLowerCase()];
  switch (verb) {
    case 'confirm':
      return parseConfirm(words);
    case 'plan': {
      const id = parseContactId(words[1], 'usage.plan');
      if (!id.ok) return id;
      // `due <time>` at the end sets the plan's deadline; the time may be two words (date and time).
      let end = words.length;
      let due: AtSpec | null = null;
      for (const n of [2, 1]) {
        const k = words.length - n - 1;
        if (k >= 2 && DUE_KEYS.includes(words[k]!.toLowerCase())) {
          const spec = parseAtSpec(words.slice(k + 1).join(' '));
          if (!spec.ok) return fail({ ...spec.error, usage: 'usage.plan' });
          due = spec.value;
          end = k;
          break;
        }
      }
      const text = checkNote(end > 2 ? span(2, end) : '', true, 'usage.plan');
      if (!text.ok) return fail({ key: 'err.missingPlan', usage: 'usage.plan' });
      return ok({ kind: 'plan', id: id.value, text: text.value, due });
    }
    case 'approve': {
      const id = parseContactId(words[1], 'usage.approve');
      return id.ok ? ok({ kind: 'approve', id: id.value }) : id;
    }
    case 'followup': {
      const id = parseContactId(words[1], 'usage.followup');
      if (!id.ok) return id;
      const scoreWord = (words[2] ?? '').replace(/分$/, '');
      if (!/^[1-5]$/.test(scoreWord)) return fail({ key: 'err.badScore', params: { value: words[2] ?? '' }, usage: 'usage.followup' });
      const note = checkNote(rest(3), false, 'usage.followup');
      return note.ok ? ok({ kind: 'followup', id: id.value, score: Number(scoreWord), note: note.value }) : note;
    }
    case 'link': {
      const ids: number[] = [];
      for (const word of words
        .slice(1)
        .flatMap((w) => w.split(/[,，]/))
        .filter(Boolean)) {
        const id = parseContactId(word, 'usage.link');
        if (!id.ok) return id;
        if (!ids.includes(id.value)) ids.push(id.value);
      }
      return ids.length >= 2 ? ok({ kind: 'link', ids }) : fail({ key: 'err.linkNeedsTwo', usage: 'usage.link' });
    }
    default:
      return fail({ key: 'err.unknownCommand', params: { word: words[0] ?? '' }, usage: 'usage.help' });
  }
}

/** `confirm <id> level <level> category <category> [dept <department>]`; the keywords may be left out. */
function parseConfirm(words: readonly string[]): Result<ComplaintCommand> {
  const id = parseContactId(words[1], 'usage.confirm');
  if (!id.ok) return id;
  let level: ComplaintLevel | undefined;
  let category: ComplaintCategory | undefined;
  let department: string | null = null;
  for (let i = 2; i < words.length; ) {
    const word = words[i]!;
    if (DEPT_KEYS.includes(word.toLowerCase())) {
      const value = words[i + 1];
      if (value === undefined) return fail({ key: 'err.missingValue', params: { word }, usage: 'usage.confirm' });
      department = value.slice(0, 100);
      i += 2;
      continue;
    }
    const found = complaintWordAt(words, i);
    // A bare level or category counts once; after its keyword it may replace the first.
    if (found?.kind === 'level' && (found.words === 2 || level === undefined)) level = found.level;
    else if (found?.kind === 'category' && (found.words === 2 || category === undefined)) category = found.category;
    else if (found && found.kind !== 'level' && found.kind !== 'category') return fail(complaintWordError(found, 'usage.confirm'));
    else return fail({ key: 'err.unexpectedWord', params: { word }, usage: 'usage.confirm' });
    i += found.words;
  }
  if (!level) return fail({ key: 'err.missingLevel', usage: 'usage.confirm' });
  if (!category) return fail({ key: 'err.missingCategory', usage: 'usage.confirm' });
  return ok({ kind: 'confirm', id: id.value, level, category, department });
}
