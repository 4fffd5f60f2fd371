import type { Lang } from '../i18n';
import { t } from '../i18n';

/** A duration as people say it: "1 小时 5 分钟", "2 d 3 h"; the two largest units, at least minutes. */
export function formatDuration(totalMinutes: number, lang: Lang): string {
  const minutes = Math.max(0, Math.round(totalMinutes));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts: string[] = [];
  if (days) parts.push(t(lang, 'unit.days', { n: days }));
  if (hours) parts.push(t(lang, 'unit.hours', { n: hours }));
  if (mins || parts.length === 0) parts.push(t(lang, 'unit.minutes', { n: mins }));
  return parts.slice(0, 2).join(' ');
}
