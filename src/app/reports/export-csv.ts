import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import type { WaitingVisitor } from '../../../db/repositories/waiting-visitors';
import type { Contact, Team } from '../../core/model';
import type { VisitKind } from '../../core/rotation';
import { displayPhone, maskPhone } from '../../core/phone';
import { maskPhonesIn } from '../../core/phone-text';
import { formatDateTime } from '../../core/time/time-of-day';
import { t, type Lang } from '../../i18n';

/**
 * A cell Excel will not run: one starting with = + - @, a tab or a carriage return
 * would be read as a formula (=HYPERLINK(…) in a note), so it gets a leading
 * apostrophe (OWASP's advice for CSV injection).
 */
const inert = (cell: string | number): string | number => (typeof cell === 'string' && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell);

/** The name a colleague goes by, for the owner and logger columns (their platform id when no name is known). */
export type NameOf = (userId: string) => string;
const byId: NameOf = (userId) => userId;

/**
 * Contacts as CSV for Excel: UTF-8 with a byte-order mark (Excel reads Chinese text
 * correctly only with it), quoting by the CSV library, CRLF line ends, no cell Excel
 * would take for a formula. Unless `fullPhones`, every phone number is masked, in every
 * column (a number typed into a note or a plan too). Phones are written as dialled with
 * their separators (010-12345678, 400 820 8820), which Excel keeps as text.
 */
export function contactsCsv(contacts: readonly Contact[], team: Team, lang: Lang, fullPhones: boolean, nameOf: NameOf = byId): Buffer {
  const text = (value: string) => (fullPhones ? value : maskPhonesIn(value));
  const at = (d: Contact['receivedAt'] | null) => (d ? formatDateTime(d, team.zone) : '');
  const header = t(lang, 'export.headers').split('|');
  const rows = contacts.map((c) => [
    c.id,
    t(lang, `channel.${c.channel}`),
    c.channel === 'complaint' && c.complaint.level ? t(lang, `level.${c.complaint.level}`) : '',
    c.channel === 'complaint' && c.complaint.category ? t(lang, `category.${c.complaint.category}`) : '',
    text(c.customer.name),
    phoneCell(c, fullPhones),
    text(nameOf(c.ownerUserId)),
    text(nameOf(c.loggedBy)),
    at(c.receivedAt),
    at(c.firstResponseDueAt),
    at(c.firstRespondedAt),
    at(c.resolutionDueAt),
    at(c.resolvedAt),
    t(lang, `status.${c.status}`),
    text(c.complaint.department ?? ''),
    text(c.complaint.plan ?? ''),
    at(c.complaint.followedUpAt),
    c.complaint.satisfaction ?? '',
    c.complaint.groupId ?? '',
    text(c.note),
  ]);
  return csvOf(header, rows);
}

/** Rows as Excel-ready CSV: a byte-order mark, CRLF, no cell Excel would take for a formula. */
function csvOf(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): Buffer {
  return Buffer.from(stringify([header, ...rows.map((row) => row.map(inert))], { bom: true, record_delimiter: 'windows' }), 'utf8');
}

/** How a walk-in was received, by its contact id (from the rotation's events). */
export type VisitReceptions = ReadonlyMap<number, { readonly user: string; readonly how: VisitKind; readonly doneAt: Date | null }>;

/** The visitor log (客户来访记录表): every visit contact with who received it and how, and those who left while waiting; phones masked unless `fullPhones`. */
export function visitsCsv(visits: readonly Contact[], receptions: VisitReceptions, left: readonly WaitingVisitor[], team: Team, lang: Lang, fullPhones: boolean, nameOf: NameOf = byId): Buffer {
  const text = (value: string) => (fullPhones ? value : maskPhonesIn(value));
  const rows = visits.map((c) => {
    const r = receptions.get(c.id);
    const row = [
      c.id,
      formatDateTime(c.receivedAt, team.zone),
      text(c.customer.name),
      phoneCell(c, fullPhones),
      text(nameOf(c.ownerUserId)),
      r ? text(nameOf(r.user)) : '',
      r ? t(lang, `visit.how.${r.how}`, { owner: text(nameOf(c.ownerUserId)) }) : '',
      r?.doneAt ? formatDateTime(DateTime.fromJSDate(r.doneAt), team.zone) : '',
      text(nameOf(c.loggedBy)),
      text(c.note),
    ];
    return { at: c.receivedAt.toMillis(), row };
  });
  // Never received, so never a contact: their waiting number stands for the id.
  const gone = left.map((v) => {
    const phone = v.phone ? (fullPhones ? displayPhone(v.phone) : maskPhone(v.phone)) : '';
    const row = [
      `W${v.number}`,
      formatDateTime(DateTime.fromJSDate(v.arrivedAt), team.zone),
      text(v.customerName),
      phone,
      v.ownerUserId ? text(nameOf(v.ownerUserId)) : '',
      '',
      t(lang, 'visit.how.left'),
      '',
      text(nameOf(v.loggedBy)),
      text(v.note),
    ];
    return { at: v.arrivedAt.getTime(), row };
  });
  const all = [...rows, ...gone].sort((a, b) => a.at - b.at);
  return csvOf(
    t(lang, 'export.visitsHeaders').split('|'),
    all.map((r) => r.row),
  );
}

/** The call log (客户来电记录表): calls and missed calls; phones masked unless `fullPhones`. */
export function callsCsv(calls: readonly Contact[], team: Team, lang: Lang, fullPhones: boolean, nameOf: NameOf = byId): Buffer {
  const text = (value: string) => (fullPhones ? value : maskPhonesIn(value));
  const rows = calls.map((c) => [
    c.id,
    formatDateTime(c.receivedAt, team.zone),
    t(lang, `channel.${c.channel}`),
    text(c.customer.name),
    phoneCell(c, fullPhones),
    text(nameOf(c.ownerUserId)),
    text(nameOf(c.loggedBy)),
    c.firstRespondedAt ? formatDateTime(c.firstRespondedAt, team.zone) : '',
    t(lang, `status.${c.status}`),
    text(c.note),
  ]);
  return csvOf(t(lang, 'export.callsHeaders').split('|'), rows);
}

const phoneCell = (c: Contact, fullPhones: boolean) => (c.customer.phone ? (fullPhones ? displayPhone(c.customer.phone) : maskPhone(c.customer.phone)) : '');
