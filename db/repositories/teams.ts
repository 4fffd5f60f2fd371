import type { Lang } from '../../src/i18n';
import type { Role } from '../../src/core/channels';
import type { Member, Team } from '../../src/core/model';
import type { Db, MemberRow, TeamRow } from '../database';

const toTeam = (row: TeamRow): Team => ({
  id: row.id,
  name: row.name,
  channelId: row.channel_id,
  zone: row.time_zone,
  lang: row.lang as Lang,
});

const toMember = (row: MemberRow): Member => ({
  teamId: row.team_id,
  userId: row.user_id,
  displayName: row.display_name,
  role: row.role as Role,
});

/** Teams and their members. */
export const teamRepository = Object.freeze({
  async create(db: Db, team: { name: string; channelId: string; zone: string; lang: Lang; createdBy: string }): Promise<Team> {
    const row = await db
      .insertInto('teams')
      .values({ name: team.name, channel_id: team.channelId, time_zone: team.zone, lang: team.lang, created_by: team.createdBy })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toTeam(row);
  },

  async findById(db: Db, id: number): Promise<Team | null> {
    const row = await db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toTeam(row) : null;
  },

  async findByChannel(db: Db, channelId: string): Promise<Team | null> {
    const row = await db.selectFrom('teams').selectAll().where('channel_id', '=', channelId).executeTakeFirst();
    return row ? toTeam(row) : null;
  },

  async count(db: Db): Promise<number> {
    const row = await db.selectFrom('teams').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  },

  async update(db: Db, id: number, change: { zone?: string; lang?: Lang }): Promise<void> {
    await db
      .updateTable('teams')
      .set({ ...(change.zone ? { time_zone: change.zone } : {}), ...(change.lang ? { lang: change.lang } : {}) })
      .where('id', '=', id)
      .execute();
  },

  /**
   * The team a user acts in: the team of the channel they typed in, when they
   * belong to it; otherwise the team they joined first.
   */
  async membershipFor(db: Db, userId: string, channelId: string | null): Promise<{ team: Team; member: Member } | null> {
    const rows = await db
      .selectFrom('members')
      .innerJoin('teams', 'teams.id', 'members.team_id')
      .selectAll('members')
      .select(['teams.name', 'teams.channel_id', 'teams.time_zone', 'teams.lang', 'teams.created_by'])
      .where('members.user_id', '=', userId)
      .orderBy('members.created_at')
      .orderBy('members.id')
      .execute();
    const row = rows.find((r) => r.channel_id === channelId) ?? rows[0];
    if (!row) return null;
    return {
      team: { id: row.team_id, name: row.name, channelId: row.channel_id, zone: row.time_zone, lang: row.lang as Lang },
      member: toMember(row),
    };
  },

  async members(db: Db, teamId: number): Promise<Member[]> {
    const rows = await db.selectFrom('members').selectAll().where('team_id', '=', teamId).orderBy('id').execute();
    return rows.map(toMember);
  },

  /** Adds a member or changes their role; says which. */
  async upsertMember(db: Db, member: Member): Promise<'added' | 'changed'> {
    const existing = await db
      .selectFrom('members')
      .select('id')
      .where('team_id', '=', member.teamId)
      .where('user_id', '=', member.userId)
      .executeTakeFirst();
    await db
      .insertInto('members')
      .values({ team_id: member.teamId, user_id: member.userId, display_name: member.displayName, role: member.role })
      .onConflict((oc) =>
        oc.constraint('members_team_user_unique').doUpdateSet((eb) => ({
          role: eb.ref('excluded.role'),
          display_name: eb.fn.coalesce('excluded.display_name', 'members.display_name'),
        })),
      )
      .execute();
    return existing ? 'changed' : 'added';
  },
});
