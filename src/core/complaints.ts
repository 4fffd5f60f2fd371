import type { DateTime } from 'luxon';
import type { MessageKey } from '../i18n';
import type { ClockKind, SlaWindow } from './policy';
import type { UserError } from './result';

/** Complaint levels (一般 / 重大 / 紧急): they set priority and swap the clock targets. */
export const COMPLAINT_LEVELS = ['normal', 'major', 'urgent'] as const;
export type ComplaintLevel = (typeof COMPLAINT_LEVELS)[number];

/** The seeds' complaint categories. */
export const COMPLAINT_CATEGORIES = ['quality', 'delivery-delay', 'fees', 'promise', 'area', 'attitude', 'process', 'other'] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];

const LEVEL_WORDS: Readonly<Record<string, ComplaintLevel>> = {
  normal: 'normal',
  一般: 'normal',
  普通: 'normal',
  major: 'major',
  重大: 'major',
  严重: 'major',
  urgent: 'urgent',
  紧急: 'urgent',
};

const CATEGORY_WORDS: Readonly<Record<string, ComplaintCategory>> = {
  quality: 'quality',
  质量: 'quality',
  工程质量: 'quality',
  'delivery-delay': 'delivery-delay',
  delay: 'delivery-delay',
  延期交房: 'delivery-delay',
  延期: 'delivery-delay',
  交房: 'delivery-delay',
  fees: 'fees',
  fee: 'fees',
  费用: 'fees',
  物业费: 'fees',
  promise: 'promise',
  承诺不兑现: 'promise',
  承诺: 'promise',
  area: 'area',
  面积: 'area',
  attitude: 'attitude',
  服务态度: 'attitude',
  态度: 'attitude',
  process: 'process',
  流程: 'process',
  other: 'other',
  其他: 'other',
  其它: 'other',
};

export function parseLevel(word: string): ComplaintLevel | null {
  return LEVEL_WORDS[word.toLowerCase()] ?? null;
}

export function parseCategory(word: string): ComplaintCategory | null {
  return CATEGORY_WORDS[word.toLowerCase()] ?? null;
}

const LEVEL_KEYS = ['level', '级别'];
const CATEGORY_KEYS = ['category', '类别', '分类'];

/** A complaint's level or category found at one word: the word itself (`urgent`, 质量) or after its keyword (`level urgent`, 类别 质量). */
export type ComplaintWord =
  | { readonly kind: 'level'; readonly level: ComplaintLevel; readonly words: number }
  | { readonly kind: 'category'; readonly category: ComplaintCategory; readonly words: number }
  | { readonly kind: 'badLevel' | 'badCategory'; readonly value: string; readonly words: number }
  | { readonly kind: 'missingValue'; readonly keyword: string; readonly words: number };

/** Reads a level or category at `words[i]`, for registration and confirmation alike; null when the word is neither. */
export function complaintWordAt(words: readonly string[], i: number): ComplaintWord | null {
  const word = words[i];
  if (word === undefined) return null;
  const key = word.toLowerCase();
  if (LEVEL_KEYS.includes(key) || CATEGORY_KEYS.includes(key)) {
    const value = words[i + 1];
    if (value === undefined) return { kind: 'missingValue', keyword: word, words: 1 };
    if (LEVEL_KEYS.includes(key)) {
      const level = parseLevel(value);
      return level ? { kind: 'level', level, words: 2 } : { kind: 'badLevel', value, words: 2 };
    }
    const category = parseCategory(value);
    return category ? { kind: 'category', category, words: 2 } : { kind: 'badCategory', value, words: 2 };
  }
  const level = parseLevel(word);
  if (level) return { kind: 'level', level, words: 1 };
  const category = parseCategory(word);
  return category ? { kind: 'category', category, words: 1 } : null;
}

/** The error for a level or category that could not be read. */
export function complaintWordError(found: Extract<ComplaintWord, { kind: 'badLevel' | 'badCategory' | 'missingValue' }>, usage: MessageKey): UserError {
  if (found.kind === 'missingValue') return { key: 'err.missingValue', params: { word: found.keyword }, usage };
  return { key: found.kind === 'badLevel' ? 'err.badLevel' : 'err.badCategory', params: { value: found.value }, usage };
}

const HOUR = 3600;

/** An urgent complaint received at or after this local hour is handled by noon the next day. */
const URGENT_LATE_HOUR = 22;
const URGENT_NEXT_DAY_BY_HOUR = 12;

/**
 * The windows a complaint's level puts in place of the team's: urgent — a first
 * response within 2 h calendar and handled the same (local) day, by midnight; one
 * received at 22:00 or later cannot be handled the same day after a 2-hour response,
 * so it is handled by 12:00 the next day (never before its response deadline); major —
 * a solution within 48 h calendar; normal — the team's own. Null: keep the team's window.
 */
export function levelWindow(level: ComplaintLevel | null, clock: ClockKind, receivedAt: DateTime, zone: string): SlaWindow | null {
  if (level === 'urgent' && clock === 'response') return { seconds: 2 * HOUR, mode: 'calendar' };
  if (level === 'urgent' && clock === 'resolution') {
    const local = receivedAt.setZone(zone);
    const late = local.hour >= URGENT_LATE_HOUR;
    const by = late ? local.plus({ days: 1 }).startOf('day').set({ hour: URGENT_NEXT_DAY_BY_HOUR }) : local.plus({ days: 1 }).startOf('day');
    const seconds = Math.max(2 * HOUR, Math.round(by.diff(local, 'seconds').seconds));
    return { seconds, mode: 'calendar', sameDay: late ? 'nextNoon' : 'today' };
  }
  if (level === 'major' && clock === 'resolution') return { seconds: 48 * HOUR, mode: 'calendar' };
  return null;
}

/** Satisfaction at or below this asks the supervisors for a root-cause note. */
export const LOW_SATISFACTION = 2;
