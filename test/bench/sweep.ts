/**
 * The reminder sweep at scale, next to a bare indexed SELECT of the same due rows.
 *
 *   DATABASE_URL=postgres://… npm run bench:sweep
 *
 * Builds 1,000,000 contacts (50,000 open, each with its three reminders pending;
 * the closed ones with a reminder already sent) in a schema of its own, then for
 * 0, 100, 1,000 and 10,000 due reminders times, in the same run:
 *   select — the bare indexed SELECT of the due rows (the floor),
 *   claim  — the sweep's claim of those rows (FOR UPDATE SKIP LOCKED + lease),
 *   sweep  — a whole pass: claim, load, group by recipient, deliver to a chat
 *            that answers at once, record each delivery, mark sent.
 * BENCH_CONTACTS and BENCH_REPEATS change the size and the repetitions.
 */
import { sql, type Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { Database } from '../../db/database';
import { median, runBench, timed, withBenchSchema } from './harness';
import { nagRepository } from '../../db/repositories/nags';
import { createLogger } from '../../src/runtime/logger';
import { createNagSweeper } from '../../src/app/reminders/nag-sweeper';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 1_000_000);
const OPEN_EVERY = 20; // 1 in 20 open: 50,000 of 1,000,000
const SPECIALISTS = 500;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);

async function build(db: Kysely<Database>): Promise<void> {
  const started = performance.now();
  await sql`insert into teams (platform, name, channel_id, created_by) values ('slack', 'Bench', 'C_BENCH', 'bench')`.execute(db);
  await sql`insert into members (team_id, user_id, role) select 1, 'U' || g, 'specialist' from generate_series(0, ${SPECIALISTS - 1}) g`.execute(db);
  await sql`insert into members (team_id, user_id, role) values (1, 'USUP', 'supervisor'), (1, 'UMGR', 'manager')`.execute(db);
  await sql`insert into customers (team_id, name, owner_user_id) select 1, 'c' || g, 'U' || (g % ${SPECIALISTS}) from generate_series(1, 100000) g`.execute(db);
  await sql`
    insert into contacts (team_id, customer_id, owner_user_id, logged_by, channel, received_at, logged_at,
                          first_response_due_at, resolution_due_at, first_responded_at, resolved_at, status)
    select 1, 1 + (g % 100000), 'U' || (g % ${SPECIALISTS}), 'U' || (g % ${SPECIALISTS}), 'wechat',
           now() - interval '1 hour', now() - interval '1 hour',
           now() + interval '1 day', now() + interval '2 days',
           case when g % ${OPEN_EVERY} = 0 then null else now() end,
           case when g % ${OPEN_EVERY} = 0 then null else now() end,
           case when g % ${OPEN_EVERY} = 0 then 'open' else 'resolved' end
    from generate_series(1, ${CONTACTS}) g`.execute(db);
  await sql`
    insert into nags (platform, team_id, contact_id, clock, step, fire_at, status, sent_at)
    select 'slack', 1, c.id, 'response', s.step, now() + interval '1 day' + s.n * interval '10 minutes', 'pending', null
    from contacts c cross join (values ('due_soon', 0), ('overdue', 1), ('escalation', 2)) as s(step, n)
    where c.status = 'open'
    union all
    select 'slack', 1, c.id, 'response', 'overdue', now() - interval '1 day', 'sent', now() - interval '1 day'
    from contacts c where c.status = 'resolved'`.execute(db);
  await sql`analyze`.execute(db);
  const counts = await sql<{ contacts: string; open: string; nags: string }>`
    select (select count(*) from contacts) as contacts, (select count(*) from contacts where status = 'open') as open, (select count(*) from nags) as nags`.execute(db);
  const c = counts.rows[0]!;
  console.log(`built ${c.contacts} contacts (${c.open} open), ${c.nags} reminder rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Makes `n` pending reminders of open contacts due a second ago (150,000 to draw from at full size). */
async function makeDue(db: Kysely<Database>, n: number): Promise<void> {
  if (n === 0) return;
  await sql`
    update nags set fire_at = now() - interval '1 second'
    where id in (select id from nags where status = 'pending' and fire_at > now() order by id limit ${n})`.execute(db);
}

async function main(): Promise<void> {
  await withBenchSchema('sweep', async (db) => {
    await build(db);
    const logger = createLogger({ level: 'silent' });
    const clock = { now: () => DateTime.utc() };
    const sweeper = createNagSweeper({ platform: 'slack', db, gateway: { send: async () => {} }, clock, logger });
    const bareSelect = (n: number) =>
      sql`
      select id, team_id, contact_id, clock, step, fire_at from nags
      where platform = 'slack' and status = 'pending' and coalesce(next_attempt_at, fire_at) <= now()
      order by coalesce(next_attempt_at, fire_at) limit ${Math.max(n, 1)}`.execute(db);

    // Warm-up: caches, plans, JIT.
    await makeDue(db, 100);
    await bareSelect(100);
    await sweeper.sweep();

    console.log(`\nmedian of ${REPEATS} runs, milliseconds; ratio = sweep step / bare SELECT of the same due rows`);
    console.log('due       select    claim    sweep   claim/select   sweep/select   sent');
    for (const n of [0, 100, 1000, 10000]) {
      const select: number[] = [];
      const claim: number[] = [];
      const sweep: number[] = [];
      let sent = 0;
      for (let r = 0; r < REPEATS; r++) {
        await makeDue(db, n);
        select.push(await timed(() => bareSelect(n)));
        // The claim alone, then give the rows back untimed for the whole pass.
        claim.push(
          await timed(async () => {
            for (let got = -1; got !== 0; ) got = (await nagRepository.claimDue(db, 'slack', clock.now(), 60_000, 500)).length;
          }),
        );
        await sql`update nags set claimed_until = null where status = 'pending' and claimed_until is not null`.execute(db);
        let result = { sent: 0 };
        sweep.push(await timed(async () => (result = await sweeper.sweep())));
        sent = result.sent;
      }
      const [s, c, w] = [median(select), median(claim), median(sweep)];
      console.log(
        `${String(n).padStart(6)} ${s.toFixed(2).padStart(9)} ${c.toFixed(2).padStart(8)} ${w.toFixed(2).padStart(8)} ${(c / s).toFixed(2).padStart(14)} ${(w / s).toFixed(2).padStart(14)} ${String(sent).padStart(6)}`,
      );
    }
  });
}

runBench(main);
