import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database';

/** The moment the reminders `dueReminders` writes fall due. */
export const DUE = '2026-11-24T02:24:00Z';

/**
 * `n` open WeChat contacts per owner of a team, each with a due-soon reminder due at DUE
 * (with `spreadSeconds`, the k-th one k seconds after it instead).
 */
export async function dueReminders(db: Kysely<Database>, teamId: number, owners: readonly string[], n: number, opts: { platform?: string; spreadSeconds?: boolean } = {}): Promise<void> {
  await sql`insert into customers (team_id, name, owner_user_id)
            select ${teamId}, 'c' || g || '-' || o, o from generate_series(1, ${n}) g, unnest(${[...owners]}::text[]) o`.execute(db);
  await sql`insert into contacts (team_id, customer_id, owner_user_id, logged_by, channel, received_at, logged_at, first_response_due_at)
            select ${teamId}, id, owner_user_id, owner_user_id, 'wechat', '2026-11-24T02:00:00Z', '2026-11-24T02:00:00Z', '2026-11-24T02:30:00Z'
            from customers where team_id = ${teamId}`.execute(db);
  await sql`insert into nags (platform, team_id, contact_id, clock, step, fire_at)
            select ${opts.platform ?? 'slack'}, team_id, id, 'response', 'due_soon',
                   ${DUE}::timestamptz + (case when ${opts.spreadSeconds ?? false} then row_number() over (order by id) else 0 end) * interval '1 second'
            from contacts where team_id = ${teamId}`.execute(db);
}

/** Contact ids a message names, as `#1234`. */
export const idsIn = (text: string) => [...text.matchAll(/#(\d{4,})/g)].map((m) => Number(m[1]));
