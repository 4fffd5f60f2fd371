import { DateTime } from 'luxon';
import type { Block, Message } from '../../chat/message';
import { rateOf, sparkline, type Digest, type Ratio } from '../../core/digest';
import { formatDuration } from '../../core/time/duration';
import type { Kpi } from '../../core/kpi';
import type { Team } from '../../core/model';
import type { Period } from '../../core/time/period';
import { maskPhone } from '../../core/phone';
import { formatDateTime } from '../../core/time/time-of-day';
import { t, type Lang } from '../../i18n';
import { mention } from '../commands/mention';

/** A share as every report writes it: one decimal (89.6%, never rounded up to the target), 100% whole. */
export const percentText = (rate: number) => `${(rate * 100).toFixed(rate === 1 ? 0 : 1)}%`;

const percent = (r: Ratio, lang: Lang) => {
  const rate = rateOf(r);
  return rate === null ? t(lang, 'digest.noData') : percentText(rate);
};

const listOf = (entries: Iterable<[string, number]>, lang: Lang) => {
  const parts = [...entries].map(([label, n]) => `${label} ${n}`);
  return parts.length ? parts.join(' · ') : t(lang, 'digest.none');
};

/**
 * The daily complaint digest as a message for the team channel: counts, the overdue
 * list (owner and masked phone, nothing else personal), rates, follow-ups, the
 * 7-day category trend and group-complaint warnings, with an Acknowledge button.
 */
export function digestMessage(digest: Digest, team: Team, opts: { lateFrom?: DateTime | null; acks?: ReadonlyArray<{ userId: string; at: Date }> } = {}): Message {
  const lang = team.lang;
  const title = t(lang, 'digest.title', { team: team.name, date: digest.day });
  const blocks: Block[] = [{ kind: 'header', text: title }];
  if (opts.lateFrom) blocks.push({ kind: 'context', text: t(lang, 'digest.late', { at: formatDateTime(opts.lateFrom, team.zone) }) });
  const ackBlocks = (): Block[] => {
    const out: Block[] = [];
    if (opts.acks?.length) {
      const who = opts.acks.map((a) => t(lang, 'digest.ackLine', { user: mention(a.userId), at: formatDateTime(DateTime.fromJSDate(a.at), team.zone) })).join('，');
      out.push({ kind: 'context', text: t(lang, 'digest.acked', { who }) });
    }
    out.push({ kind: 'buttons', buttons: [{ label: t(lang, 'digest.ackButton'), command: `digest ack ${digest.day}` }] });
    return out;
  };
  if (digest.quiet) {
    blocks.push({ kind: 'text', text: t(lang, 'digest.empty') }, ...ackBlocks());
    return { text: `${title}: ${t(lang, 'digest.empty')}`, blocks, lang };
  }

  const n = digest.newToday;
  const duration = (ms: number | null) => (ms === null ? t(lang, 'digest.noData') : formatDuration(Math.round(ms / 60_000) * 60_000, lang));
  const avg = digest.followups.averageSatisfaction7d;
  blocks.push({
    kind: 'fields',
    fields: [
      [t(lang, 'digest.newToday'), t(lang, 'digest.countValue', { count: n.total })],
      [t(lang, 'digest.resolvedToday'), t(lang, 'digest.countValue', { count: digest.resolvedToday })],
      [
        t(lang, 'digest.byLevel'),
        listOf(
          [...n.byLevel].map(([level, count]) => [t(lang, `level.${level}`), count]),
          lang,
        ),
      ],
      [
        t(lang, 'digest.byCategory'),
        listOf(
          [...n.byCategory].map(([category, count]) => [t(lang, `category.${category}`), count]),
          lang,
        ),
      ],
      [t(lang, 'digest.stillOpen'), t(lang, 'digest.ages', { total: digest.open.total, young: digest.open.under24h, middle: digest.open.from24to48h, old: digest.open.over48h })],
      [t(lang, 'digest.rate24h'), t(lang, 'digest.todayWeek', { today: percent(digest.resolved24h.today, lang), week: percent(digest.resolved24h.week, lang) })],
      [t(lang, 'digest.medianResponse'), t(lang, 'digest.todayWeek', { today: duration(digest.medianFirstResponseMs.today), week: duration(digest.medianFirstResponseMs.week) })],
      [
        t(lang, 'digest.followups'),
        t(lang, 'digest.followupsValue', {
          done: digest.followups.doneToday,
          due: digest.followups.due,
          overdue: digest.followups.overdue,
          avg: avg === null ? t(lang, 'digest.noData') : `${avg.toFixed(1)}/5`,
        }),
      ],
    ],
  });

  if (digest.overdue.length) {
    blocks.push({ kind: 'text', text: `*${t(lang, 'digest.overdueTitle', { count: digest.overdue.length })}*` });
    blocks.push({
      kind: 'list',
      items: digest.overdue.slice(0, 30).map(({ contact: c, clock, dueAt }) =>
        t(lang, 'digest.overdueLine', {
          id: c.id,
          level: t(lang, `level.${c.complaint.level ?? 'unset'}`),
          category: t(lang, `category.${c.complaint.category ?? 'unset'}`),
          customer: c.customer.phone ? `${c.customer.name} ${maskPhone(c.customer.phone)}` : c.customer.name,
          owner: mention(c.ownerUserId),
          clock: t(lang, `clock.${clock}`),
          due: formatDateTime(dueAt, team.zone),
        }),
      ),
    });
  }

  if (digest.topCategories.length) {
    const max = Math.max(...digest.topCategories.flatMap((c) => c.perDay));
    blocks.push({ kind: 'text', text: `*${t(lang, 'digest.topTitle')}*` });
    blocks.push({
      kind: 'list',
      items: digest.topCategories.map((c) => t(lang, 'digest.topLine', { category: t(lang, `category.${c.category}`), count: c.count, spark: sparkline(c.perDay, max) })),
    });
  }

  if (digest.groupCategories.length || digest.linkedGroups.length) {
    blocks.push({ kind: 'text', text: `*${t(lang, 'digest.groupTitle')}*` });
    blocks.push({
      kind: 'list',
      items: [
        ...digest.groupCategories.map((g) =>
          t(lang, 'digest.groupCategory', { category: t(lang, `category.${g.category}`), count: g.ids.length, threshold: team.settings.groupWarn, ids: g.ids.map((id) => `#${id}`).join(' ') }),
        ),
        ...digest.linkedGroups.map((g) => t(lang, 'digest.groupLinked', { group: g.group, ids: g.ids.map((id) => `#${id}`).join(' '), open: g.open })),
      ],
    });
  }

  if (digest.rootCauseOwed.length) {
    blocks.push({ kind: 'text', text: `*${t(lang, 'digest.rootCauseTitle')}*` });
    blocks.push({
      kind: 'list',
      items: digest.rootCauseOwed.map((c) =>
        t(lang, 'digest.rootCauseLine', { id: c.id, category: t(lang, `category.${c.complaint.category ?? 'unset'}`), score: c.complaint.satisfaction ?? '—', owner: mention(c.ownerUserId) }),
      ),
    });
  }
  blocks.push(...ackBlocks());
  const summary = `${t(lang, 'digest.newToday')} ${n.total} · ${t(lang, 'digest.stillOpen')} ${digest.open.total} · ${t(lang, 'digest.overdueTitle', { count: digest.overdue.length })}`;
  return { text: `${title}: ${summary}`, blocks, lang };
}

/** The KPIs of a person or the team over a period, each against its target where the seeds set one. */
export function kpiMessage(kpis: readonly Kpi[], who: string | null, period: Period, counts: { contacts: number; complaints: number }, lang: Lang): Message {
  const title = t(lang, 'kpi.title', { who: who ? mention(who) : t(lang, 'kpi.team'), from: period.firstDay, to: period.lastDay });
  const line = (kpi: Kpi): [string, string] => {
    let value: string;
    let target = '';
    if (kpi.kind === 'share') {
      value = kpi.ratio.d === 0 ? t(lang, 'kpi.noData') : t(lang, 'kpi.share', { value: percent(kpi.ratio, lang), n: kpi.ratio.n, d: kpi.ratio.d });
      if (kpi.target !== null) target = t(lang, 'kpi.target', { target: `≥ ${Math.round(kpi.target * 100)}%` });
    } else if (kpi.kind === 'count') {
      value = String(kpi.count);
      if (kpi.target !== null) target = t(lang, 'kpi.target', { target: t(lang, 'kpi.targetZero') });
    } else {
      value = kpi.average === null ? t(lang, 'kpi.noData') : t(lang, 'kpi.average', { value: kpi.average.toFixed(2), n: kpi.n });
      if (kpi.target !== null) target = t(lang, 'kpi.target', { target: `≥ ${kpi.target}` });
    }
    const verdict = kpi.met === null ? '' : t(lang, kpi.met ? 'kpi.met' : 'kpi.notMet');
    return [t(lang, `kpi.${kpi.name}`), [value, target, verdict].filter(Boolean).join(' · ')];
  };
  return {
    text: title,
    blocks: [
      { kind: 'header', text: title },
      { kind: 'context', text: t(lang, 'kpi.contacts', { count: counts.contacts, complaints: counts.complaints }) },
      { kind: 'fields', fields: kpis.map(line) },
    ],
  };
}
