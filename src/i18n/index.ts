import { en } from './en';
import { zhCN, type MessageKey } from './zh-CN';

export type { MessageKey };
export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export type Params = Readonly<Record<string, string | number>>;

const catalogues: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

/** The text for a key in a language, with `{name}` parameters filled in. */
export function t(lang: Lang, key: MessageKey, params: Params = {}): string {
  return catalogues[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Reads a language word a user or the environment gave (zh-CN, zh, 中文, en, English). */
export function parseLang(word: string): Lang | null {
  const w = word.trim().toLowerCase();
  if (['zh-cn', 'zh', 'cn', 'zh_cn', '中文', 'chinese'].includes(w)) return 'zh-CN';
  if (['en', 'en-us', 'en-gb', 'english', '英文', '英语'].includes(w)) return 'en';
  return null;
}
