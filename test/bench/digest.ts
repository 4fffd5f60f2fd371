/**
 * The daily complaint digests of 100 teams over 1,000,000 contacts of history,
 * next to a bare indexed SELECT of the same complaint rows in the same run.
 *
 *   DATABASE_URL=postgres://… npm run bench:digest
 *
 * Builds a year of history in a schema of its own: 100 teams, 10,000 contacts
 * each, one in ten a complaint, all closed except those of the last three days.
 * Then times, median of BENCH_REPEATS runs:
 *   select — a bare SELECT of the rows the digests need (count only: the floor),
 *   read   — the digests' one read of those rows for all 100 teams (the database time),
 *   build  — read plus computing all 100 digests,
 *   post   — a whole posting pass: claim each team's day, build, post to a chat that
 *            answers at once, mark posted.
 * BENCH_CONTACTS, BENCH_TEAMS and BENCH_REPEATS change the size and the repetitions.
 */
import { sql, type Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { Database } from '../../db/database';
import { median, runBench, timed, withBenchSchema } from './harness';
import { reportRepository } from '../../db/repositories/reports';
import { teamRepository } from '../../db/repositories/teams';
import { createDigestPoster } from '../../src/app/reports/digest-poster';
import { createLogger } from '../../src/runtime/logger';
import { buildDigests } from '../../src/app/reports/reports';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 1_000_000);
const TEAMS = Number(process.env.BENCH_TEAMS ?? 100);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 7);
const DAYS = 365;

async function build(db: Kysely<Database>): Promise<void> {
  const started = performance.now();
  // Created a year ago, with the digest at 18:00 (the default).
  await sql`insert into teams (platform, name, channel_id, created_by, created_at)
            select 'slack', 'Team ' || g, 'C' || g, 'bench', now() - interval '400 days' from generate_series(1, ${TEAMS}) g`.execute(db);
  await sql`insert into members (team_id, user_id, role) select t, 'U' || t || '_' || s, 'specialist' from generate_series(1, ${TEAMS}) t, generate_series(1, 5) s`.execute(db);
  await sql`insert into members (team_id, user_id, role) select t, 'S' || t, 'supervisor' from generate_series(1, ${TEAMS}) t`.execute(db);
  await sql`insert into customers (team_id, name, phone, owner_user_id)
            select 1 + g % ${TEAMS}, 'c' || g, '+86138' || lpad(g::text, 8, '0'), 'U' || (1 + g % ${TEAMS}) || '_' || (1 + g % 5)
            from generate_series(1, ${CONTACTS / 10}) g`.execute(db);
  // g spreads over a year, newest last; one in ten is a complaint; the last three days' complaints are partly open.
  await sql`
    insert into contacts (team_id, customer_id, owner_user_id, logged_by, channel, received_at, logged_at,
                          first_response_due_at, resolution_due_at, first_responded_at, resolved_at, status,
                          level, category, confirmed_at, followup_due_at, followed_up_at, satisfaction, root_cause_noted_at, updated_at)
    select team, cust, owner, owner, channel, received, received,
           received + interval '2 hours', received + interval '1 day',
           case when is_open and g % 2 = 0 then null else received + interval '40 minutes' end,
           case when is_open then null else received + interval '20 hours' end,
           case when is_open then (case when g % 2 = 0 then 'open' else 'responded' end) when channel = 'complaint' then 'closed' else 'resolved' end,
           case when channel = 'complaint' then (array['normal', 'normal', 'major', 'urgent'])[1 + g % 4] end,
           case when channel = 'complaint' then (array['quality', 'delivery-delay', 'fees', 'promise', 'area', 'attitude', 'process', 'other'])[1 + (g / 10) % 8] end,
           case when channel = 'complaint' then received + interval '1 hour' end,
           case when channel = 'complaint' and not is_open then received + interval '3 days' end,
           case when channel = 'complaint' and not is_open then received + interval '2 days' end,
           case when channel = 'complaint' and not is_open then 1 + g % 5 end,
           case when channel = 'complaint' and not is_open and 1 + g % 5 <= 2 then received + interval '2 days' end,
           case when is_open then received + interval '40 minutes' else received + interval '2 days' end
    from (
      select g, 1 + g % ${TEAMS} as team, 1 + g % ${CONTACTS / 10} as cust,
             'U' || (1 + g % ${TEAMS}) || '_' || (1 + g % 5) as owner,
             case when g % 10 = 0 then 'complaint' else 'wechat' end as channel,
             now() - (${DAYS}::float8 * (1 - g::float8 / ${CONTACTS}::float8)) * interval '1 day' as received,
             (g % 10 = 0 and g > ${CONTACTS - Math.round((CONTACTS * 3) / DAYS)}::int and g % 3 = 0) as is_open
      from generate_series(1, ${CONTACTS}) g
    ) s`.execute(db);
  await sql`analyze`.execute(db);
  const counts = await sql<{ contacts: string; complaints: string; open: string }>`
    select (select count(*) from contacts) as contacts, (select count(*) from contacts where channel = 'complaint') as complaints,
           (select count(*) from contacts where channel = 'complaint' and status <> 'closed') as open`.execute(db);
  const c = counts.rows[0]!;
  console.log(`built ${c.contacts} contacts (${c.complaints} complaints, ${c.open} open) for ${TEAMS} teams in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function main(): Promise<void> {
  await withBenchSchema('digest', async (db) => {
    await build(db);
    // The digest moment has passed for every team today.
    const now = DateTime.now().setZone('Asia/Shanghai').set({ hour: 18, minute: 0, second: 5 }).toUTC();
    const day = now.setZone('Asia/Shanghai').toISODate()!;
    const clock = { now: () => now };
    const teams = (await teamRepository.withDigest(db, 'slack')).map((t) => t.team);
    const entries = teams.map((team) => ({ team, day }));
    const since = DateTime.fromISO(day, { zone: 'utc' }).minus({ days: 8 });
    const ids = teams.map((t) => t.id);
    // The floor: the ids of the same rows, by the same two indexes.
    const bareSelect = () =>
      sql`
      select id from contacts where team_id = any(${ids}) and channel = 'complaint' and updated_at >= ${since.toJSDate()}
      union
      select id from contacts where team_id = any(${ids}) and channel = 'complaint' and digest_live`.execute(db);
    let posted = 0;
    const poster = createDigestPoster({ platform: 'slack', db, gateway: { send: async () => void posted++ }, clock, logger: createLogger({ level: 'silent' }) });

    // Warm-up: caches, plans, JIT.
    await bareSelect();
    await buildDigests(db, entries, now);
    const rows = [...(await reportRepository.digestComplaints(db, ids, since)).values()].reduce((n, list) => n + list.length, 0);
    const plan = await sql<{ 'QUERY PLAN': string }>`explain
      select id from contacts where team_id = any(${ids}) and channel = 'complaint' and updated_at >= ${since.toJSDate()}
      union
      select id from contacts where team_id = any(${ids}) and channel = 'complaint' and digest_live`.execute(db);
    console.log(
      `${rows} complaint rows read for ${teams.length} digests; plan: ${plan.rows
        .map((r) => r['QUERY PLAN'].trim())
        .filter((l) => /Scan/.test(l))
        .map((l) => l.replace(/\s+\(cost.*$/, '').replace(/^->\s+/, ''))
        .join(' + ')}`,
    );
    if (process.env.BENCH_EXPLAIN) {
      // The plan of the digests' own read, as run.
      const compiled = reportRepository.digestComplaintsQuery(db, ids, since).compile();
      const analyzed = await db.executeQuery<{ 'QUERY PLAN': string }>({ ...compiled, sql: `explain analyze ${compiled.sql}` });
      console.log(analyzed.rows.map((r) => r['QUERY PLAN']).join('\n'));
    }
    // Yesterday's digests went out yesterday: each pass posts today's.
    const yesterday = DateTime.fromISO(day).minus({ days: 1 }).toISODate()!;
    await sql`insert into team_digests (team_id, day, due_at, status, posted_at) select id, ${yesterday}, now(), 'posted', now() from teams`.execute(db);

    const select: number[] = [];
    const read: number[] = [];
    const built: number[] = [];
    const post: number[] = [];
    for (let r = 0; r < REPEATS; r++) {
      select.push(await timed(bareSelect));
      read.push(await timed(() => reportRepository.digestComplaints(db, ids, since)));
      built.push(await timed(() => buildDigests(db, entries, now)));
      await sql`delete from team_digests where day = ${day}`.execute(db);
      posted = 0;
      post.push(await timed(() => poster.postDue()));
      if (posted !== teams.length) throw new Error(`posted ${posted} digests, expected ${teams.length}`);
    }
    const [s, d, b, p] = [median(select), median(read), median(built), median(post)];
    console.log(`\nmedian of ${REPEATS} runs, milliseconds, all ${teams.length} teams together; ratio = step / bare SELECT of the same rows`);
    console.log('   select     read    build     post   read/select   build/select');
    console.log(
      `${s.toFixed(2).padStart(9)} ${d.toFixed(2).padStart(8)} ${b.toFixed(2).padStart(8)} ${p.toFixed(2).padStart(8)} ${(d / s).toFixed(2).padStart(13)} ${(b / s).toFixed(2).padStart(14)}`,
    );
  });
}

runBench(main);
