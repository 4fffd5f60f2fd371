import type { DateTime } from 'luxon';
import type { Contact, ContactEvent, Team } from '../../core/model';
import { formatDateTime } from '../../core/time/time-of-day';
import { t, type Lang } from '../../i18n';
import { mention } from '../commands/mention';

/** The complaint parts of `/cs show`: its process fields, and what each audit entry changed. */

/** What an audit entry changed, as `from → to` for the fields people care about. */
export function eventChange(event: ContactEvent, lang: Lang): string {
  const before = event.before ?? {};
  const after = event.after ?? {};
  const named = (field: string, value: unknown): string | null => {
    if (typeof value !== 'string' && typeof value !== 'number') return null;
    if (field === 'level') return t(lang, `level.${value as 'normal'}`);
    if (field === 'category') return t(lang, `category.${value as 'other'}`);
    if (field === 'status') return t(lang, `status.${value as 'open'}`);
    if (field === 'owner') return mention(String(value));
    if (field === 'group') return `#${value}`;
    if (field === 'satisfaction') return `${value}/5`;
    if (field === 'plan' || field === 'department') return String(value);
    return null;
  };
  const parts: string[] = [];
  for (const field of ['level', 'category', 'department', 'status', 'owner', 'group', 'satisfaction', 'plan']) {
    const to = named(field, after[field]);
    if (to === null) continue;
    const from = named(field, before[field]);
    if (from === to) continue;
    parts.push(from ? `${from} → ${to}` : to);
  }
  return parts.join(' · ');
}

/** A complaint's process fields for `/cs show`. */
export function complaintFields(contact: Contact, team: Team, lang: Lang): Array<[string, string]> {
  if (contact.channel !== 'complaint') return [];
  const c = contact.complaint;
  const at = (d: DateTime) => formatDateTime(d, team.zone);
  const fields: Array<[string, string]> = [
    [t(lang, 'show.level'), t(lang, `level.${c.level ?? 'unset'}`)],
    [t(lang, 'show.category'), t(lang, `category.${c.category ?? 'unset'}`)],
  ];
  if (c.department) fields.push([t(lang, 'show.department'), c.department]);
  if (c.plan) fields.push([t(lang, 'show.plan'), c.planDueAt ? `${c.plan}${t(lang, 'complaint.planDue', { due: at(c.planDueAt) })}` : c.plan]);
  if (c.plan && c.level === 'major') {
    fields.push([t(lang, 'show.approval'), c.planApprovedBy && c.planApprovedAt ? `${mention(c.planApprovedBy)} ${at(c.planApprovedAt)}` : t(lang, 'show.approvalPending')]);
  }
  if (c.followedUpAt) fields.push([t(lang, 'show.followup'), t(lang, 'show.followupDone', { at: at(c.followedUpAt), score: c.satisfaction ?? '—' })]);
  else if (c.followupDueAt) fields.push([t(lang, 'show.followup'), t(lang, 'show.followupDue', { due: at(c.followupDueAt) })]);
  if (c.groupId !== null) fields.push([t(lang, 'show.group'), `#${c.groupId}`]);
  return fields;
}
