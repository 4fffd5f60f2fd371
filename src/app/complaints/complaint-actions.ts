import type { DateTime } from 'luxon';
import { complaintRepository } from '../../../db/repositories/complaints';
import { contactRepository } from '../../../db/repositories/contacts';
import { nagRepository } from '../../../db/repositories/nags';
import { teamRepository } from '../../../db/repositories/teams';
import type { Db } from '../../../db/database';
import { textMessage, type Outgoing } from '../../chat/message';
import type { ComplaintCommand } from '../../core/grammar/complaint-commands';
import { LOW_SATISFACTION, type ComplaintCategory, type ComplaintLevel } from '../../core/complaints';
import { contactDeadlines } from '../../core/time/deadlines';
import { calendarOf, policyOfTeam, type Contact, type Team } from '../../core/model';
import { planClock, planNags, type PlannedNag } from '../../core/nag-plan';
import { deadlineFor } from '../../core/policy';
import { fail, ok, type Result } from '../../core/result';
import { t } from '../../i18n';
import { noticesAfterSaving } from '../commands/after-saving';
import { levelAlerts } from './complaint-alerts';
import { complaintFor, dmAll, fmt } from './complaint-access';
import { createPlanApproval } from './plan-approval';
import { answer, answerError, type CommandOutcome, type CommandServiceDeps, type Context } from '../commands/requests';
import * as views from '../contacts/views';

/**
 * The complaint process after registration (DOMAIN.md, 投诉处理): confirm the level
 * and category, record and approve the plan, follow up after resolution, tie one
 * problem's complaints together, and warn the supervisors of a group complaint.
 */
export function createComplaintActions(deps: CommandServiceDeps) {
  const { db, clock } = deps;

  const supervisorsOf = (team: Team) => teamRepository.membersWithRole(db, team.id, 'supervisor');
  const planning = createPlanApproval(deps);

  async function run(ctx: Context, command: ComplaintCommand): Promise<CommandOutcome> {
    switch (command.kind) {
      case 'confirm':
        return confirm(ctx, command.id, command.level, command.category, command.department);
      case 'plan':
        return planning.plan(ctx, command);
      case 'approve':
        return planning.approve(ctx, command.id);
      case 'followup':
        return followup(ctx, command.id, command.score, command.note);
      case 'link':
        return link(ctx, command.ids);
    }
  }

  /**
   * 确认: sets level, category and department. A new level recomputes both deadlines
   * from when the complaint came in, so the time already spent still counts.
   */
  async function confirm(ctx: Context, id: number, level: ComplaintLevel, category: ComplaintCategory, department: string | null): Promise<CommandOutcome> {
    const now = clock.now();
    const { team, lang } = ctx;
    const result = await db.transaction().execute(async (trx) => {
      const found = await complaintFor(trx, ctx, id, 'usage.confirm');
      if (!found.ok) return found;
      const c = found.value;
      const before = c.complaint;
      const levelChanged = (before.level ?? 'normal') !== level;
      let response = c.firstResponseDueAt;
      let resolution = c.resolutionDueAt;
      if (levelChanged && !c.resolvedAt) {
        const due = contactDeadlines(team, c.channel, c.receivedAt, deps.holidays, level);
        if (!due.ok) return due;
        response = due.value.response?.dueAt ?? null;
        resolution = due.value.resolution?.dueAt ?? null;
        const answered = c.firstRespondedAt !== null;
        const nags = planNags(due.value, c.receivedAt, now, team.settings, calendarOf(team), deps.holidays, answered);
        await nagRepository.replan(trx, team, id, answered ? ['resolution'] : ['response', 'resolution'], nags);
      }
      await contactRepository.update(trx, id, {
        at: now,
        level,
        category,
        department: department ?? before.department,
        confirmedAt: now,
        firstResponseDueAt: response,
        resolutionDueAt: resolution,
      });
      await contactRepository.addEvent(trx, {
        contactId: id,
        teamId: team.id,
        actorUserId: ctx.actor.userId,
        kind: levelChanged && before.level !== null ? 'levelChanged' : 'confirmed',
        at: now,
        before: {
          level: before.level,
          category: before.category,
          department: before.department,
          responseDueAt: c.firstResponseDueAt?.toISO() ?? null,
          resolutionDueAt: c.resolutionDueAt?.toISO() ?? null,
        },
        after: { level, category, department: department ?? before.department, responseDueAt: response?.toISO() ?? null, resolutionDueAt: resolution?.toISO() ?? null },
      });
      return ok({ contact: c, levelChanged, response, resolution });
    });
    if (!result.ok) return answerError(result.error, lang);
    const { contact, levelChanged, response, resolution } = result.value;
    if (levelChanged) deps.onDeadlinesChanged?.();
    const dept = department ?? contact.complaint.department;
    const lines = [
      t(lang, 'complaint.confirmed', {
        id,
        level: t(lang, `level.${level}`),
        category: t(lang, `category.${category}`),
        dept: dept ? t(lang, 'complaint.dept', { dept }) : '',
      }),
      t(lang, 'complaint.deadlines', { response: contact.firstRespondedAt ? '✓' : fmt(team, response), resolution: fmt(team, resolution) }),
    ];
    if (levelChanged && (contact.complaint.level !== null || level !== 'normal')) {
      // An unrated complaint ran on the team's normal windows, but it was unrated, not normal.
      lines.push(t(lang, 'complaint.levelChanged', { from: t(lang, `level.${contact.complaint.level ?? 'unset'}`), to: t(lang, `level.${level}`) }));
    }
    const confirmed: Contact = {
      ...contact,
      firstResponseDueAt: response,
      resolutionDueAt: resolution,
      complaint: { ...contact.complaint, level, category, department: dept },
    };
    const notices = await noticesAfterSaving(
      deps.logger,
      () => levelAlerts(db, team, confirmed, { how: contact.complaint.level === null ? 'confirmed' : 'raised', to: level, from: contact.complaint.level, actorUserId: ctx.actor.userId }),
      () => groupWarnings(team, now, category),
    );
    return answer(textMessage(lines.join('\n')), notices);
  }

  /** 回访: records satisfaction and closes; a low score asks the supervisors for a root-cause note. */
  async function followup(ctx: Context, id: number, score: number, note: string): Promise<CommandOutcome> {
    const { team, lang } = ctx;
    const now = clock.now();
    const result = await db.transaction().execute(async (trx) => {
      const found = await complaintFor(trx, ctx, id, 'usage.followup');
      if (!found.ok) return found;
      const c = found.value;
      if (c.complaint.followedUpAt) {
        return fail({ key: 'err.alreadyFollowedUp', params: { id, at: fmt(team, c.complaint.followedUpAt), score: c.complaint.satisfaction ?? '—' } });
      }
      if (!c.resolvedAt) return fail({ key: 'err.notResolvedYet', params: { id }, usage: 'usage.followup' });
      await contactRepository.update(trx, id, { at: now, followedUpAt: now, satisfaction: score, status: 'closed' });
      await nagRepository.cancelForClock(trx, id, ['followup']);
      await contactRepository.addEvent(trx, {
        contactId: id,
        teamId: team.id,
        actorUserId: ctx.actor.userId,
        kind: 'followedUp',
        at: now,
        before: { status: c.status },
        after: { status: 'closed', satisfaction: score, note },
      });
      return ok(c);
    });
    if (!result.ok) return answerError(result.error, lang);
    const c = result.value;
    const lines = [t(lang, 'complaint.followedUp', { id, score })];
    const notices: Outgoing[] = [];
    if (score <= LOW_SATISFACTION) {
      lines.push(t(lang, 'complaint.lowScoreAsked'));
      const ask = t(lang, 'complaint.lowScoreDm', { id, category: t(lang, `category.${c.complaint.category ?? 'unset'}`), owner: views.mention(c.ownerUserId), score });
      notices.push(
        ...dmAll(
          (await supervisorsOf(team)).map((m) => m.userId),
          textMessage(ask),
        ),
      );
    }
    return answer(textMessage(lines.join('\n')), notices);
  }

  /** 群体投诉: ties complaints about one problem into one group, merging groups they already belong to. */
  async function link(ctx: Context, ids: readonly number[]): Promise<CommandOutcome> {
    const { team, lang } = ctx;
    const now = clock.now();
    const result = await db.transaction().execute(async (trx) => {
      const complaints: Contact[] = [];
      for (const id of [...ids].sort((a, b) => a - b)) {
        const found = await complaintFor(trx, ctx, id, 'usage.link');
        if (!found.ok) return found;
        complaints.push(found.value);
      }
      const group = Math.min(...complaints.map((c) => c.complaint.groupId ?? c.id));
      const members = await complaintRepository.linkGroup(
        trx,
        team.id,
        group,
        complaints.map((c) => c.id),
        complaints.map((c) => c.complaint.groupId).filter((g): g is number => g !== null),
        now,
      );
      for (const c of complaints) {
        await contactRepository.addEvent(trx, {
          contactId: c.id,
          teamId: team.id,
          actorUserId: ctx.actor.userId,
          kind: 'linked',
          at: now,
          before: { group: c.complaint.groupId },
          after: { group, with: members.filter((m) => m !== c.id) },
        });
      }
      return ok({ group, members });
    });
    if (!result.ok) return answerError(result.error, lang);
    return answer(textMessage(t(lang, 'complaint.linked', { ids: result.value.members.map((m) => `#${m}`).join(' '), group: result.value.group })));
  }

  /**
   * Warns the supervisors, once per category and day, when the team's complaints of
   * one category in the last 24 h reach its threshold (群体投诉预警).
   */
  async function groupWarnings(team: Team, now: DateTime, category: ComplaintCategory | null): Promise<Outgoing[]> {
    if (!category) return [];
    const recent = await complaintRepository.complaintIdsInCategorySince(db, team.id, category, now.minus({ hours: 24 }));
    const threshold = team.settings.groupWarn;
    if (recent.length < threshold) return [];
    const day = now.setZone(team.zone).toISODate();
    if (!(await teamRepository.markNoticeSent(db, team.id, `group-warn:${category}:${day}`, now.toJSDate()))) return [];
    const lang = team.lang;
    const text = t(lang, 'complaint.groupWarn', {
      count: recent.length,
      category: t(lang, `category.${category}`),
      ids: recent.map((id) => `#${id}`).join(' '),
      threshold,
    });
    return dmAll(
      (await supervisorsOf(team)).map((m) => m.userId),
      textMessage(text),
    );
  }

  /**
   * The follow-up clock (回访) of a complaint resolved `now`: when it is due and its
   * reminders; null for other contacts or when the team has no follow-up window.
   */
  function planFollowup(team: Team, contact: Contact, now: DateTime): Result<{ dueAt: DateTime; nags: PlannedNag[] } | null> {
    const window = policyOfTeam(team).complaint.followup;
    if (contact.channel !== 'complaint' || !window) return ok(null);
    const cal = calendarOf(team);
    const deadline = deadlineFor(window, now, cal, deps.holidays);
    if (!deadline) return fail({ key: 'err.calendarNeverOpens', usage: 'usage.teamHours' });
    return ok({ dueAt: deadline.dueAt, nags: planClock('followup', deadline, now, now, team.settings, cal, deps.holidays) });
  }

  /** A note on a closed complaint with a low score is its root-cause note; true when it was taken as one. */
  async function takeRootCause(trx: Db, contact: Contact, now: DateTime): Promise<boolean> {
    const c = contact.complaint;
    if (c.satisfaction === null || c.satisfaction > LOW_SATISFACTION || c.rootCauseNotedAt) return false;
    await contactRepository.update(trx, contact.id, { at: now, rootCauseNotedAt: now });
    return true;
  }

  return Object.freeze({ run, groupWarnings, planFollowup, takeRootCause });
}

export type ComplaintActions = ReturnType<typeof createComplaintActions>;
