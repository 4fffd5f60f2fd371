import { stringify } from 'csv-stringify/sync';
import type { Contact, Team } from '../core/model';
import { displayPhone, maskPhone } from '../core/phone';
import { formatDateTime } from '../core/time';
import { t, type Lang } from '../i18n';

/**
 * Contacts as CSV for Excel: UTF-8 with a byte-order mark (Excel reads Chinese text
 * correctly only with it), quoting by the CSV library, CRLF line ends. Phones are
 * masked unless `fullPhones`.
 */
export function contactsCsv(contacts: readonly Contact[], team: Team, lang: Lang, fullPhones: boolean): Buffer {
  const at = (d: Contact['receivedAt'] | null) => (d ? formatDateTime(d, team.zone) : '');
  const header = t(lang, 'export.headers').split('|');
  const rows = contacts.map((c) => [
    c.id,
    t(lang, `channel.${c.channel}`),
    c.channel === 'complaint' && c.complaint.level ? t(lang, `level.${c.complaint.level}`) : '',
    c.channel === 'complaint' && c.complaint.category ? t(lang, `category.${c.complaint.category}`) : '',
    c.customer.name,
    c.customer.phone ? (fullPhones ? displayPhone(c.customer.phone) : maskPhone(c.customer.phone)) : '',
    c.ownerUserId,
    c.loggedBy,
    at(c.receivedAt),
    at(c.firstResponseDueAt),
    at(c.firstRespondedAt),
    at(c.resolutionDueAt),
    at(c.resolvedAt),
    t(lang, `status.${c.status}`),
    c.complaint.department ?? '',
    c.complaint.plan ?? '',
    at(c.complaint.followedUpAt),
    c.complaint.satisfaction ?? '',
    c.complaint.groupId ?? '',
    c.note,
  ]);
  return Buffer.from(stringify([header, ...rows], { bom: true, record_delimiter: 'windows' }), 'utf8');
}
