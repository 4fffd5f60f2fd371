import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database';
import { teamRepository } from '../../../db/repositories/teams';
import type { Message, Outgoing } from '../../chat/message';
import type { ComplaintLevel } from '../../core/complaints';
import type { Contact, Team } from '../../core/model';
import { maskPhone } from '../../core/phone';
import { formatDateTime } from '../../core/time/time-of-day';
import { t } from '../../i18n';
import { mention } from '../commands/mention';

const RANK: Readonly<Record<ComplaintLevel, number>> = { normal: 0, major: 1, urgent: 2 };

/**
 * Who hears of a complaint at once because of its level (DOMAIN.md, 投诉处理 stage 2):
 * the supervisors for a major one, the supervisors and managers for an urgent one,
 * each by DM with the complaint and its deadlines. Told when a complaint is registered
 * at that level and when it is raised to it, not when it is lowered.
 */
export async function levelAlerts(
  db: Kysely<Database>,
  team: Team,
  contact: Contact,
  change: { readonly how: 'registered' | 'confirmed' | 'raised'; readonly to: ComplaintLevel | null; readonly from: ComplaintLevel | null; readonly actorUserId: string },
): Promise<Outgoing[]> {
  const { to, from } = change;
  if (to === null || to === 'normal' || RANK[to] <= RANK[from ?? 'normal']) return [];
  const roles = to === 'urgent' ? (['supervisor', 'manager'] as const) : (['supervisor'] as const);
  const members = (await Promise.all(roles.map((role) => teamRepository.membersWithRole(db, team.id, role)))).flat();
  const readers = [...new Set(members.map((m) => m.userId))].filter((u) => u !== change.actorUserId);
  if (readers.length === 0) return [];
  const lang = team.lang;
  const at = (d: Contact['firstResponseDueAt']) => (d ? formatDateTime(d, team.zone) : '—');
  const text = t(lang, `complaint.alert.${change.how}`, {
    icon: to === 'urgent' ? '🚨' : '⚠️',
    level: t(lang, `level.${to}`),
    from: t(lang, `level.${from ?? 'normal'}`),
    id: contact.id,
    category: t(lang, `category.${contact.complaint.category ?? 'unset'}`),
    customer: contact.customer.phone ? `${contact.customer.name} ${maskPhone(contact.customer.phone)}` : contact.customer.name,
    note: contact.note || '—',
    actor: mention(change.actorUserId),
    owner: mention(contact.ownerUserId),
    response: contact.firstRespondedAt ? '✓' : at(contact.firstResponseDueAt),
    resolution: at(contact.resolutionDueAt),
  });
  const message: Message = {
    text,
    lang,
    blocks: [
      { kind: 'text', text },
      { kind: 'buttons', buttons: [{ label: t(lang, 'complaint.alert.show', { id: contact.id }), command: `show ${contact.id}` }] },
    ],
  };
  return readers.map((user) => ({ to: { kind: 'dm', user }, message }));
}
