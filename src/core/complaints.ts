import type { DateTime } from 'luxon';
import type { ClockKind, SlaWindow } from './policy';

/** Complaint levels (一般 / 重大 / 紧急): they set priority and swap the clock targets. */
export const COMPLAINT_LEVELS = ['normal', 'major', 'urgent'] as const;
export type ComplaintLevel = (typeof COMPLAINT_LEVELS)[number];

/** The seeds' complaint categories. */
export const COMPLAINT_CATEGORIES = ['quality', 'delivery-delay', 'fees', 'promise', 'area', 'attitude', 'process', 'other'] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];

const LEVEL_WORDS: Readonly<Record<string, ComplaintLevel>> = {
  normal: 'normal', 一般: 'normal', 普通: 'normal',
  major: 'major', 重大: 'major', 严重: 'major',
  urgent: 'urgent', 紧急: 'urgent',
};

const CATEGORY_WORDS: Readonly<Record<string, ComplaintCategory>> = {
  quality: 'quality', 质量: 'quality', 工程质量: 'quality',
  'delivery-delay': 'delivery-delay', delay: 'delivery-delay', 延期交房: 'delivery-delay', 延期: 'delivery-delay', 交房: 'delivery-delay',
  fees: 'fees', fee: 'fees', 费用: 'fees', 物业费: 'fees',
  promise: 'promise', 承诺不兑现: 'promise', 承诺: 'promise',
  area: 'area', 面积: 'area',
  attitude: 'attitude', 服务态度: 'attitude', 态度: 'attitude',
  process: 'process', 流程: 'process',
  other: 'other', 其他: 'other', 其它: 'other',
};

export function parseLevel(word: string): ComplaintLevel | null {
  return LEVEL_WORDS[word.toLowerCase()] ?? null;
}

export function parseCategory(word: string): ComplaintCategory | null {
  return CATEGORY_WORDS[word.toLowerCase()] ?? null;
}

const HOUR = 3600;

/**
 * The windows a complaint's level puts in place of the team's: urgent — a first
 * response within 2 h calendar and handled the same (local) day; major — a solution
 * within 48 h calendar; normal — the team's own. Null: keep the team's window.
 */
export function levelWindow(level: ComplaintLevel | null, clock: ClockKind, receivedAt: DateTime, zone: string): SlaWindow | null {
  if (level === 'urgent' && clock === 'response') return { seconds: 2 * HOUR, mode: 'calendar' };
  if (level === 'urgent' && clock === 'resolution') {
    const local = receivedAt.setZone(zone);
    const endOfDay = local.plus({ days: 1 }).startOf('day');
    return { seconds: Math.max(60, Math.round(endOfDay.diff(local, 'seconds').seconds)), mode: 'calendar' };
  }
  if (level === 'major' && clock === 'resolution') return { seconds: 48 * HOUR, mode: 'calendar' };
  return null;
}

/** Satisfaction at or below this asks the supervisors for a root-cause note. */
export const LOW_SATISFACTION = 2;
