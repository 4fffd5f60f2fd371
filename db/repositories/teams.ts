import { formatWeekly, parseWeekly, type WeeklyMoment } from '../../src/core/weekly';
import { sql } from 'kysely';
import type { Lang } from '../../src/i18n';
import { CONTACT_CHANNELS, type ContactChannel, type Role } from '../../src/core/channels';
import { AUTO_REPLY_MAX_CHARS } from '../../src/core/grammar/team-commands';
import { z } from 'zod';
import { parseHours } from '../../src/core/time/hours';
import { DEFAULT_TEAM_SETTINGS, PLATFORMS, type Member, type Platform, type Team, type TeamSettings } from '../../src/core/model';
import type { PolicyOverrides } from '../../src/core/policy';
import type { Db, MemberRow, TeamRow } from '../database';

const datesSchema = z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/));
const autoRepliesSchema = z.partialRecord(
  z.enum(CONTACT_CHANNELS),
  z
    .string()
    .min(1)
    .max(AUTO_REPLY_MAX_CHARS * 4),
);
const windowsSchema = z.record(z.string(), z.object({ seconds: z.number().int().positive(), mode: z.enum(['working', 'calendar']) }).nullable());

/** Stored settings are checked like any other input; an unreadable one falls back to the default, never to a crash. */
function settingsOf(row: TeamRow): TeamSettings {
  const hours = parseHours(row.hours.split(' '));
  const closed = datesSchema.safeParse(row.closed_dates);
  const open = datesSchema.safeParse(row.open_dates);
  const windows = windowsSchema.safeParse(row.windows);
  return {
    hours: hours.ok ? hours.value : DEFAULT_TEAM_SETTINGS.hours,
    holidays: row.holiday_calendar === 'none' ? 'none' : 'cn',
    closedDates: new Set(closed.success ? closed.data : []),
    openDates: new Set(open.success ? open.data : []),
    windows: windows.success ? (windows.data as PolicyOverrides) : {},
    remindPercent: row.remind_percent,
    escalateSeconds: row.escalate_seconds,
    digestTime: row.digest_time !== null && /^\d{2}:\d{2}$/.test(row.digest_time) ? row.digest_time : null,
    groupWarn: row.group_warn,
    autoReplies: autoRepliesSchema.safeParse(row.autoreplies).data ?? {},
    weekly: row.weekly === null ? null : parseWeekly(row.weekly),
    charts: row.charts !== false,
  };
}

const platformOf = (word: string): Platform => ((PLATFORMS as readonly string[]).includes(word) ? (word as Platform) : 'slack');

/** A team row as the domain's Team (its settings checked like any input). */
export const toTeam = (row: TeamRow): Team => ({
  id: row.id,
  platform: platformOf(row.platform),
  name: row.name,
  channelId: row.channel_id,
  zone: row.time_zone,
  lang: row.lang as Lang,
  settings: settingsOf(row),
});

/** A change to a team: any of its settings. */
export interface TeamChange {
  readonly zone?: string;
  readonly lang?: Lang;
  readonly hours?: string;
  readonly holidays?: 'cn' | 'none';
  readonly closedDates?: readonly string[];
  readonly openDates?: readonly string[];
  readonly windows?: PolicyOverrides;
  readonly remindPercent?: number;
  readonly escalateSeconds?: number | null;
  readonly digestTime?: string | null;
  readonly weekly?: WeeklyMoment | null;
  readonly groupWarn?: number;
  readonly autoReplies?: Readonly<Partial<Record<ContactChannel, string>>>;
  readonly charts?: boolean;
}

const toMember = (row: MemberRow): Member => ({
  teamId: row.team_id,
  userId: row.user_id,
  displayName: row.display_name,
  role: row.role as Role,
  active: row.active,
});

/** Teams and their members. */
export const teamRepository = Object.freeze({
  async create(db: Db, team: { platform: Platform; name: string; channelId: string; zone: string; lang: Lang; createdBy: string; createdAt: Date }): Promise<Team> {
    const row = await db
      .insertInto('teams')
      .values({ platform: team.platform, name: team.name, channel_id: team.channelId, time_zone: team.zone, lang: team.lang, created_by: team.createdBy, created_at: team.createdAt })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toTeam(row);
  },

  async findById(db: Db, id: number): Promise<Team | null> {
    const row = await db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toTeam(row) : null;
  },

  /** Every team of the platform whose weekly summary is on, with when the team was created. */
  async withWeekly(db: Db, platform: Platform): Promise<Array<{ team: Team; createdAt: Date }>> {
    const rows = await db.selectFrom('teams').selectAll().where('platform', '=', platform).where('weekly', 'is not', null).orderBy('id').execute();
    return rows.map((row) => ({ team: toTeam(row), createdAt: new Date(row.created_at) }));
  },

  /** Every team of the platform whose daily digest is on, with when the team was created. */
  async withDigest(db: Db, platform: Platform): Promise<Array<{ team: Team; createdAt: Date }>> {
    const rows = await db.selectFrom('teams').selectAll().where('platform', '=', platform).where('digest_time', 'is not', null).orderBy('id').execute();
    return rows.map((row) => ({ team: toTeam(row), createdAt: row.created_at }));
  },

  async findByIds(db: Db, ids: readonly number[]): Promise<Team[]> {
    if (ids.length === 0) return [];
    const rows = await db
      .selectFrom('teams')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute();
    return rows.map(toTeam);
  },

  async membersOfTeams(db: Db, teamIds: readonly number[]): Promise<Member[]> {
    if (teamIds.length === 0) return [];
    const rows = await db
      .selectFrom('members')
      .selectAll()
      .where('team_id', 'in', [...teamIds])
      .orderBy('id')
      .execute();
    return rows.map(toMember);
  },

  async findByChannel(db: Db, platform: Platform, channelId: string): Promise<Team | null> {
    const row = await db.selectFrom('teams').selectAll().where('platform', '=', platform).where('channel_id', '=', channelId).executeTakeFirst();
    return row ? toTeam(row) : null;
  },

  async count(db: Db): Promise<number> {
    const row = await db
      .selectFrom('teams')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  async update(db: Db, id: number, change: TeamChange): Promise<void> {
    const json = (v: unknown) => JSON.stringify(v);
    await db
      .updateTable('teams')
      .set({
        ...(change.zone !== undefined ? { time_zone: change.zone } : {}),
        ...(change.lang !== undefined ? { lang: change.lang } : {}),
        ...(change.hours !== undefined ? { hours: change.hours } : {}),
        ...(change.holidays !== undefined ? { holiday_calendar: change.holidays } : {}),
        ...(change.closedDates !== undefined ? { closed_dates: json([...change.closedDates].sort()) } : {}),
        ...(change.openDates !== undefined ? { open_dates: json([...change.openDates].sort()) } : {}),
        ...(change.windows !== undefined ? { windows: json(change.windows) } : {}),
        ...(change.remindPercent !== undefined ? { remind_percent: change.remindPercent } : {}),
        ...(change.escalateSeconds !== undefined ? { escalate_seconds: change.escalateSeconds } : {}),
        ...(change.digestTime !== undefined ? { digest_time: change.digestTime } : {}),
        ...(change.weekly !== undefined ? { weekly: change.weekly === null ? null : formatWeekly(change.weekly) } : {}),
        ...(change.groupWarn !== undefined ? { group_warn: change.groupWarn } : {}),
        ...(change.autoReplies !== undefined ? { autoreplies: json(change.autoReplies) } : {}),
        ...(change.charts !== undefined ? { charts: change.charts } : {}),
      })
      .where('id', '=', id)
      .execute();
  },

  /** Records that a team was told something; false when it already was. */
  async markNoticeSent(db: Db, teamId: number, key: string, at: Date): Promise<boolean> {
    const row = await db
      .insertInto('team_notices')
      .values({ team_id: teamId, key, sent_at: at })
      .onConflict((oc) => oc.columns(['team_id', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    return row !== undefined;
  },

  /**
   * The team a user acts in: the team of the channel they typed in, when they
   * belong to it; otherwise the team they joined first. Only the platform's teams:
   * a user id means someone else on another platform.
   */
  async membershipFor(db: Db, platform: Platform, userId: string, channelId: string | null): Promise<{ team: Team; member: Member } | null> {
    // Written out rather than built: it runs before every command, and building it cost more CPU than running it.
    const { rows } = await sql<TeamRow & Pick<MemberRow, 'user_id' | 'display_name' | 'role' | 'active'>>`
      select teams.*, members.user_id, members.display_name, members.role, members.active
      from members join teams on teams.id = members.team_id
      where members.user_id = ${userId} and teams.platform = ${platform}
      order by teams.channel_id = ${channelId} desc nulls last, members.created_at, members.id
      limit 1`.execute(db);
    const row = rows[0];
    if (!row) return null;
    return {
      team: toTeam(row),
      member: { teamId: row.id, userId: row.user_id, displayName: row.display_name, role: row.role as Role, active: row.active },
    };
  },

  /** The team's supervisors, or its managers, still active: who is told what. */
  async membersWithRole(db: Db, teamId: number, role: Role): Promise<Member[]> {
    const rows = await db.selectFrom('members').selectAll().where('team_id', '=', teamId).where('role', '=', role).where('active', '=', true).orderBy('id').execute();
    return rows.map(toMember);
  },

  /** The names members are known by on a platform (from mentions when they were added), for rendering mentions. */
  async displayNames(db: Db, platform: Platform, userIds: readonly string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    const rows = await db
      .selectFrom('members')
      .innerJoin('teams', 'teams.id', 'members.team_id')
      .select(['members.user_id', 'members.display_name'])
      .where('teams.platform', '=', platform)
      .where('members.user_id', 'in', [...userIds])
      .where('members.display_name', 'is not', null)
      .orderBy('members.id')
      .execute();
    return new Map(rows.map((r) => [r.user_id, r.display_name!]));
  },

  /** Keeps the name a member goes by on the platform (the sender's nick of their messages). */
  async noteDisplayName(db: Db, platform: Platform, userId: string, name: string): Promise<void> {
    await db
      .updateTable('members')
      .set({ display_name: name })
      .where('user_id', '=', userId)
      .where('team_id', 'in', (eb) => eb.selectFrom('teams').select('id').where('platform', '=', platform))
      .where((eb) => eb.or([eb('display_name', 'is', null), eb('display_name', '<>', name)]))
      .execute();
  },

  async memberOf(db: Db, teamId: number, userId: string): Promise<Member | null> {
    const row = await db.selectFrom('members').selectAll().where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst();
    return row ? toMember(row) : null;
  },

  /** Marks a member handed over (inactive) or back. */
  async setActive(db: Db, teamId: number, userId: string, active: boolean): Promise<void> {
    await db.updateTable('members').set({ active }).where('team_id', '=', teamId).where('user_id', '=', userId).execute();
  },

  async members(db: Db, teamId: number): Promise<Member[]> {
    const rows = await db.selectFrom('members').selectAll().where('team_id', '=', teamId).orderBy('id').execute();
    return rows.map(toMember);
  },

  /** Adds a member or changes their role; says which. */
  async upsertMember(db: Db, member: Member): Promise<'added' | 'changed'> {
    const existing = await db.selectFrom('members').select('id').where('team_id', '=', member.teamId).where('user_id', '=', member.userId).executeTakeFirst();
    await db
      .insertInto('members')
      .values({ team_id: member.teamId, user_id: member.userId, display_name: member.displayName, role: member.role })
      .onConflict((oc) =>
        oc.constraint('members_team_user_unique').doUpdateSet((eb) => ({
          role: eb.ref('excluded.role'),
          // Added again after a handover: active again.
          active: true,
          display_name: eb.fn.coalesce('excluded.display_name', 'members.display_name'),
        })),
      )
      .execute();
    return existing ? 'changed' : 'added';
  },
});
