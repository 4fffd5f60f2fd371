import type { Message } from '../../chat/message';
import { CONTACT_CHANNELS } from '../../core/channels';
import type { Contact, Member, Team } from '../../core/model';
import { isWorkingDays, type Policy, type SlaWindow } from '../../core/policy';
import { formatDuration } from '../../core/time/duration';
import { formatHours } from '../../core/time/hours';
import { t, type Lang } from '../../i18n';
import { channelRef, mention } from '../commands/mention';

/** The team's settings as its members read them: the team, its windows and hours. */

/**
 * A window's length as its clock counts it: whole working days as working days (3 个工作日),
 * other working time in hours and minutes (30 小时, never "1 天 6 小时", which reads as a calendar
 * day), calendar time as it is.
 */
export function windowDuration(window: SlaWindow, lang: Lang): string {
  if (window.mode !== 'working') return formatDuration(window.seconds * 1000, lang);
  if (isWorkingDays(window)) {
    const n = window.seconds / 86_400;
    return t(lang, n === 1 ? 'unit.workingDay' : 'unit.workingDays', { n });
  }
  const minutes = Math.round(window.seconds / 60);
  if (minutes < 1440) return formatDuration(window.seconds * 1000, lang);
  const [hours, mins] = [Math.floor(minutes / 60), minutes % 60];
  return mins ? `${t(lang, 'unit.hours', { n: hours })} ${t(lang, 'unit.minutes', { n: mins })}` : t(lang, 'unit.hours', { n: hours });
}

/** A window as people say it: "30 分钟" with its clock, "工作时间". */
function windowText(window: SlaWindow, lang: Lang): string {
  return t(lang, 'policy.window', { duration: windowDuration(window, lang), mode: t(lang, `mode.${window.mode}`) });
}

export function teamMessage(team: Team, members: readonly Member[], lang: Lang): Message {
  const title = t(lang, 'team.title', { name: team.name });
  return {
    text: title,
    blocks: [
      { kind: 'header', text: title },
      {
        kind: 'fields',
        fields: [
          [t(lang, 'team.channel'), channelRef(team.channelId)],
          [t(lang, 'team.zone'), team.zone],
          [t(lang, 'team.lang'), team.lang],
          [t(lang, 'team.hours'), formatHours(team.settings.hours)],
          [t(lang, 'team.calendar'), t(lang, `calendar.${team.settings.holidays}`)],
          [t(lang, 'team.charts'), t(lang, team.settings.charts ? 'team.chartsOnValue' : 'team.chartsOffValue')],
        ],
      },
      { kind: 'text', text: `*${t(lang, 'team.members')}*` },
      { kind: 'list', items: members.map((m) => `${mention(m.userId)} · ${t(lang, `role.${m.role}`)}`) },
    ],
  };
}

/** The team's windows for every channel, with its hours, holidays (and the last year the holiday data covers), reminders and escalation. */
export function policyMessage(team: Team, policy: Policy, lang: Lang, holidaysUpTo: number | null): Message {
  const title = t(lang, 'policy.title', { team: team.name });
  const show = (w: SlaWindow | null) => (w ? windowText(w, lang) : '—');
  const s = team.settings;
  const fields: Array<[string, string]> = [
    [t(lang, 'team.hours'), formatHours(s.hours)],
    [t(lang, 'team.calendar'), t(lang, `calendar.${s.holidays}`)],
    [t(lang, 'policy.remind'), `${s.remindPercent}%`],
    [t(lang, 'policy.escalate'), s.escalateSeconds === null ? t(lang, 'team.escalateAuto') : formatDuration(s.escalateSeconds * 1000, lang)],
    [t(lang, 'policy.followup'), show(policy.complaint.followup)],
    [t(lang, 'team.digest'), s.digestTime ?? t(lang, 'team.digestOffValue')],
    [t(lang, 'team.groupwarn'), t(lang, 'team.groupwarnSet', { count: s.groupWarn })],
    [t(lang, 'team.charts'), t(lang, s.charts ? 'team.chartsOnValue' : 'team.chartsOffValue')],
  ];
  if (s.holidays === 'cn' && holidaysUpTo !== null) fields.push([t(lang, 'policy.holidayYears'), t(lang, 'policy.holidayYearsValue', { year: holidaysUpTo })]);
  for (const [channel, text] of Object.entries(s.autoReplies)) fields.push([`${t(lang, 'policy.autoReplies')} · ${t(lang, `channel.${channel as Contact['channel']}`)}`, text]);
  if (s.closedDates.size) fields.push([t(lang, 'policy.closed'), [...s.closedDates].sort().join(', ')]);
  if (s.openDates.size) fields.push([t(lang, 'policy.open'), [...s.openDates].sort().join(', ')]);
  const lines = CONTACT_CHANNELS.map((channel) =>
    t(lang, 'policy.line', { channel: t(lang, `channel.${channel}`), response: show(policy[channel].response), resolution: show(policy[channel].resolution) }),
  );
  return {
    text: title,
    blocks: [
      { kind: 'header', text: title },
      { kind: 'list', items: lines },
      { kind: 'fields', fields },
    ],
  };
}
