import { reportRepository } from '../../../db/repositories/reports';
import { teamRepository, type TeamChange } from '../../../db/repositories/teams';
import { textMessage } from '../../chat/message';
import { canChangeTeam } from '../../core/access';
import { digestMoment } from '../../core/digest';
import { formatDuration } from '../../core/time/duration';
import { formatHours } from '../../core/time/hours';
import { policyOfTeam } from '../../core/model';
import type { HolidayData } from '../../core/time/calendar';
import { DEFAULT_POLICY } from '../../core/policy';
import type { IntakeCommand } from '../../core/grammar/intake-commands';
import type { TeamCommand } from '../../core/grammar/team-commands';
import { t, type Lang, type MessageKey } from '../../i18n';
import { answer, answerError, type CommandOutcome, type CommandRequest, type CommandServiceDeps, type Context } from '../commands/requests';
import * as views from '../contacts/views';
import { policyMessage, teamMessage } from './team-views';
import { autoReplyText } from '../contacts/views';

type Change = Exclude<TeamCommand, { kind: 'teamShow' | 'teamCreate' | 'teamPolicy' | IntakeCommand['kind'] }>;

/** Team administration: creating a team, its members and every setting of its clocks. */
export function createTeamAdmin(deps: CommandServiceDeps) {
  const { db } = deps;

  async function create(request: CommandRequest, name: string, lang: Lang): Promise<CommandOutcome> {
    if (!deps.bootstrapAdmins.has(request.userId)) return answerError({ key: 'err.notBootstrapAdmin' }, lang);
    if (!request.channelId || /^D/.test(request.channelId)) return answerError({ key: 'err.teamChannelNeeded', usage: 'usage.teamCreate' }, lang);
    const existing = await teamRepository.findByChannel(db, deps.platform, request.channelId);
    if (existing) return answerError({ key: 'err.teamExists', params: { name: existing.name } }, existing.lang);
    const channelId = request.channelId;
    const team = await db.transaction().execute(async (trx) => {
      const created = await teamRepository.create(trx, {
        platform: deps.platform,
        name,
        channelId,
        zone: 'Asia/Shanghai',
        lang: deps.defaultLang,
        createdBy: request.userId,
        createdAt: deps.clock.now().toJSDate(),
      });
      await teamRepository.upsertMember(trx, { teamId: created.id, userId: request.userId, displayName: request.userName ?? null, role: 'manager' });
      return created;
    });
    const text = t(team.lang, 'team.created', { name: team.name, user: views.mention(request.userId) });
    return answer(textMessage(text), [{ to: { kind: 'channel', channel: team.channelId }, message: textMessage(text) }]);
  }

  async function show(ctx: Context, kind: 'teamShow' | 'teamPolicy'): Promise<CommandOutcome> {
    return kind === 'teamShow'
      ? answer(teamMessage(ctx.team, await teamRepository.members(db, ctx.team.id), ctx.lang))
      : answer(policyMessage(ctx.team, policyOfTeam(ctx.team), ctx.lang, lastHolidayYear(deps.holidays, deps.clock.now().setZone(ctx.team.zone).year)));
  }

  async function change(ctx: Context, command: Change): Promise<CommandOutcome> {
    if (!canChangeTeam(ctx.actor) && !deps.bootstrapAdmins.has(ctx.actor.userId)) return answerError({ key: 'err.notManager' }, ctx.lang);
    const { lang, team } = ctx;
    const say = (text: string) => answer(textMessage(text));
    const update = (patch: TeamChange) => teamRepository.update(db, team.id, patch);
    switch (command.kind) {
      case 'teamAdd': {
        const lines: string[] = [];
        for (const user of command.users) {
          const how = await teamRepository.upsertMember(db, { teamId: team.id, userId: user.id, displayName: user.name, role: command.role });
          const params = { user: views.mention(user.id), team: team.name, role: t(lang, `role.${command.role}`) };
          lines.push(t(lang, how === 'added' ? 'team.added' : 'team.roleChanged', params));
        }
        return say(lines.join('\n'));
      }
      case 'teamZone':
        await update({ zone: command.zone });
        return say(t(lang, 'team.zoneSet', { zone: command.zone }));
      case 'teamLang':
        await update({ lang: command.lang });
        return say(t(command.lang, 'team.langSet'));
      case 'teamHours': {
        await update({ hours: formatHours(command.hours) });
        const set = t(lang, 'team.hoursSet', { hours: formatHours(command.hours) });
        // Open at weekends, still closed on statutory holidays: worth saying, since a sales office may expect otherwise.
        const weekends = command.hours.kind === 'weekly' && command.hours.days !== 'workdays' && [6, 7].some((d) => (command.hours as { days: ReadonlySet<number> }).days.has(d));
        return say(weekends && team.settings.holidays === 'cn' ? `${set}\n${t(lang, 'team.hoursHolidaysNote')}` : set);
      }
      case 'teamCalendar':
        await update({ holidays: command.holidays });
        return say(t(lang, 'team.calendarSet', { calendar: t(lang, `calendar.${command.holidays}`) }));
      case 'teamDates': {
        // A date is either closed or open: setting one takes it off the other list.
        const closed = new Set(team.settings.closedDates);
        const open = new Set(team.settings.openDates);
        for (const date of command.dates) {
          (command.open ? open : closed).add(date);
          (command.open ? closed : open).delete(date);
        }
        await update({ closedDates: [...closed], openDates: [...open] });
        return say(t(lang, command.open ? 'team.openSet' : 'team.closedSet', { dates: summariseDates(command.dates) }));
      }
      case 'teamWindow': {
        const key = `${command.channel}.${command.clock}`;
        const current = policyOfTeam(team)[command.channel][command.clock] ?? DEFAULT_POLICY[command.channel][command.clock];
        const mode = command.mode ?? current?.mode ?? (command.clock === 'response' ? 'working' : 'calendar');
        await update({ windows: { ...team.settings.windows, [key]: { seconds: command.seconds, mode } } });
        return say(
          t(lang, 'team.windowSet', {
            channel: t(lang, `channel.${command.channel}`),
            clock: t(lang, `clock.${command.clock}`),
            duration: formatDuration(command.seconds * 1000, lang),
            mode: t(lang, `mode.${mode}`),
          }),
        );
      }
      case 'teamDigest': {
        await update({ digestTime: command.time });
        if (command.time === null) return say(t(lang, 'team.digestOff'));
        // A moment already past today is not caught up as if the bot had been down: the first digest is tomorrow's.
        const now = deps.clock.now();
        const today = now.setZone(team.zone).toISODate()!;
        const moment = digestMoment(today, command.time, team.zone);
        if (moment <= now) await reportRepository.skipDigest(db, team.id, today, moment);
        else await reportRepository.unskipDigest(db, team.id, today);
        return say(t(lang, 'team.digestSet', { time: command.time, zone: team.zone }));
      }
      case 'teamWeekly': {
        await update({ weekly: command.weekly });
        if (command.weekly === null) return say(t(lang, 'team.weeklyOff'));
        return say(t(lang, 'team.weeklySet', { day: t(lang, `weekday.${command.weekly.weekday}` as MessageKey), time: command.weekly.time }));
      }
      case 'teamAutoReply': {
        const replies = { ...team.settings.autoReplies };
        if (command.text === null) delete replies[command.channel];
        else replies[command.channel] = command.text;
        await update({ autoReplies: replies });
        const channel = t(lang, `channel.${command.channel}`);
        return command.text === null
          ? say(t(lang, 'team.autoReplyDefault', { channel, text: autoReplyText({ ...team, settings: { ...team.settings, autoReplies: replies } }, command.channel, '{due}') }))
          : say(t(lang, 'team.autoReplySet', { channel, text: command.text }));
      }
      case 'teamCharts':
        await update({ charts: command.on });
        return say(t(lang, command.on ? 'team.chartsOn' : 'team.chartsOff'));
      case 'teamGroupWarn':
        await update({ groupWarn: command.count });
        return say(t(lang, 'team.groupwarnSet', { count: command.count }));
      case 'teamRemind':
        await update({ remindPercent: command.percent });
        return say(t(lang, 'team.remindSet', { percent: command.percent }));
      case 'teamEscalate':
        await update({ escalateSeconds: command.seconds });
        return say(command.seconds === null ? t(lang, 'team.escalateAuto') : t(lang, 'team.escalateSet', { duration: formatDuration(command.seconds * 1000, lang) }));
    }
  }

  return Object.freeze({ create, show, change });
}

/** The last year from `from` on whose statutory holidays the data knows; null when not even this one. */
function lastHolidayYear(data: HolidayData, from: number): number | null {
  let year: number | null = null;
  for (let y = from; y < from + 10 && data.covers(y); y++) year = y;
  return year;
}

/** `2027-01-01 … 2027-01-07 (7)` for a run of dates; the dates themselves when there are few. */
function summariseDates(dates: readonly string[]): string {
  const sorted = [...dates].sort();
  return sorted.length <= 3 ? sorted.join(', ') : `${sorted[0]} … ${sorted.at(-1)} (${sorted.length})`;
}
