import { migrationProvider } from '../../db/migrations';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../../db/connect';
import { contactRepository, type ContactToLog } from '../../db/repositories/contacts';
import { reportRepository } from '../../db/repositories/reports';
import { requestKeyRepository } from '../../db/repositories/request-keys';
import { teamRepository } from '../../db/repositories/teams';
import { databaseKinds, postgresKind, type TestDatabase } from '../helpers/db';
import { seedTeam } from '../helpers/service';

const at = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' });

describe.each(databaseKinds())('repositories on $name', (kind) => {
  let tdb: TestDatabase;
  let teamId: number;

  beforeAll(async () => {
    tdb = await kind.open();
  });
  afterAll(async () => {
    await tdb.close();
  });
  beforeEach(async () => {
    await tdb.reset();
    teamId = (await seedTeam(tdb.db, { channelId: 'C1', members: { alice: 'specialist', carol: 'supervisor' } })).id;
  });

  const logFor = (loggedBy: string, customerName: string, phone: string | null, over: Partial<ContactToLog> = {}) =>
    contactRepository.logWithCustomer(tdb.db, {
      teamId,
      platform: 'slack',
      loggedBy,
      channel: 'wechat',
      receivedAt: at('2026-11-24T02:00:00Z'),
      loggedAt: at('2026-11-24T02:01:00Z'),
      note: 'n',
      firstResponseDueAt: at('2026-11-24T02:30:00Z'),
      resolutionDueAt: null,
      firstRespondedAt: null,
      status: 'open',
      requestKey: null,
      level: null,
      category: null,
      customerName,
      phone,
      eventAfter: { note: 'n' },
      ...over,
    });

  it('numbers contacts from 1001 and reads them back with their customer, audit event and instants intact', async () => {
    const logged = await logFor('alice', '张先生', '+8613812345678');
    expect(logged!.id).toBe(1001);
    const contact = await contactRepository.findById(tdb.db, 1001);
    expect(contact).toMatchObject({ id: 1001, channel: 'wechat', status: 'open', ownerUserId: 'alice', customer: { name: '张先生', phone: '+8613812345678' } });
    expect(contact!.firstResponseDueAt!.toISO()).toBe('2026-11-24T02:30:00.000Z');
    expect(contact!.firstRespondedAt).toBeNull();
    expect((await contactRepository.events(tdb.db, 1001)).map((e) => [e.kind, e.actorUserId, e.after])).toEqual([['logged', 'alice', { note: 'n' }]]);
  });

  it('gives a contact to the first owner of the phone, whoever logs it', async () => {
    const first = await logFor('alice', '张先生', '+8613812345678');
    const second = await logFor('bob', '张总', '+8613812345678');
    expect(second!.customer).toEqual(first!.customer);
    expect((await contactRepository.findById(tdb.db, second!.id))!.ownerUserId).toBe('alice');
  });

  it('finds a customer without a phone by name only among the logger’s own', async () => {
    const alices = await logFor('alice', '李女士', null);
    const bobs = await logFor('bob', '李女士', null);
    expect(bobs!.customer.id).not.toBe(alices!.customer.id);
    expect((await logFor('alice', '李女士', null))!.customer.id).toBe(alices!.customer.id);
  });

  it('creates one customer when two replicas log the same new number at once', async () => {
    const [a, b] = await Promise.all([logFor('alice', '王', '+8613900001111'), logFor('bob', '王', '+8613900001111')]);
    expect(a!.customer.id).toBe(b!.customer.id);
    expect(a!.id).not.toBe(b!.id);
  });

  it('logs once per request key, even when the same request arrives twice at once, and writes nothing the second time', async () => {
    const [a, b] = await Promise.all([logFor('alice', '新客户', null, { requestKey: 'view:V1' }), logFor('alice', '新客户', null, { requestKey: 'view:V1' })]);
    expect([a, b].filter((x) => x === null)).toHaveLength(1);
    const count = async (t: 'contacts' | 'customers' | 'contact_events') =>
      Number(
        (
          await tdb.db
            .selectFrom(t)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect([await count('contacts'), await count('customers'), await count('contact_events')]).toEqual([1, 1, 1]);
    expect((await contactRepository.findByRequestKey(tdb.db, 'view:V1'))!.customer.name).toBe('新客户');
  });

  it('lists an owner’s unresolved contacts soonest due first, those without a deadline last', async () => {
    await logFor('alice', 'x', null);
    await logFor('alice', 'x', null, { firstResponseDueAt: at('2026-11-24T06:00:00Z') });
    await logFor('alice', 'x', null, { firstResponseDueAt: null, channel: 'visit', status: 'responded' });
    await logFor('alice', 'x', null, { firstResponseDueAt: at('2026-11-24T02:15:00Z') });
    const resolved = (await logFor('alice', 'x', null))!.id;
    await contactRepository.update(tdb.db, resolved, { at: at('2026-11-24T03:00:00Z'), resolvedAt: at('2026-11-24T03:00:00Z'), status: 'resolved' });
    const open = await contactRepository.openForOwner(tdb.db, teamId, 'alice');
    expect(open.map((o) => o.id)).toEqual([1004, 1001, 1002, 1003]);
  });

  it('keeps the audit trail in order with before and after', async () => {
    const id = (await logFor('alice', 'x', null))!.id;
    await contactRepository.addEvent(tdb.db, {
      contactId: id,
      teamId,
      actorUserId: 'carol',
      kind: 'replied',
      at: at('2026-11-24T02:10:00Z'),
      before: { status: 'open' },
      after: { status: 'responded' },
    });
    const events = await contactRepository.events(tdb.db, id);
    expect(events.map((e) => [e.kind, e.actorUserId, e.before, e.after])).toEqual([
      ['logged', 'alice', null, { note: 'n' }],
      ['replied', 'carol', { status: 'open' }, { status: 'responded' }],
    ]);
  });

  it('forgets old request keys and still recognises their contacts afterwards', async () => {
    await logFor('alice', 'a', null, { requestKey: 'event:E1', loggedAt: at('2026-11-23T00:00:00Z') });
    await logFor('alice', 'b', null, { requestKey: 'event:E2', loggedAt: at('2026-11-24T12:00:00Z') });
    expect(await requestKeyRepository.purgeOlderThan(tdb.db, at('2026-11-24T00:00:00Z'))).toBe(1);
    expect(await logFor('alice', 'a', null, { requestKey: 'event:E1' })).toBeNull();
    expect(await logFor('alice', 'b', null, { requestKey: 'event:E2' })).toBeNull();
    expect((await contactRepository.findByRequestKey(tdb.db, 'event:E1'))!.customer.name).toBe('a');
    const contacts = await tdb.db
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(contacts.n)).toBe(2);
  });

  it('reads several teams’ complaints received in a range, each under its team, oldest first, and nothing else', async () => {
    const other = (await seedTeam(tdb.db, { channelId: 'C2', members: { bob: 'specialist' } })).id;
    const complaint = (received: string, over: Partial<ContactToLog> = {}) => logFor('alice', `客户${received}`, null, { channel: 'complaint', receivedAt: at(received), ...over });
    await complaint('2026-11-20T02:00:00Z');
    await complaint('2026-11-10T02:00:00Z'); // before the range
    await complaint('2026-11-24T16:00:00Z'); // at its end: outside [from, to)
    await complaint('2026-11-18T02:00:00Z', { teamId: other });
    await complaint('2026-11-11T02:00:00Z');
    await logFor('alice', '微信客户', null, { receivedAt: at('2026-11-21T02:00:00Z') }); // no complaint
    const got = await reportRepository.complaintsReceivedByTeam(tdb.db, [teamId, other, 999], at('2026-11-11T00:00:00Z'), at('2026-11-24T16:00:00Z'));
    expect([...got.keys()]).toEqual([teamId, other, 999]);
    expect(got.get(teamId)!.map((c) => c.receivedAt.toUTC().toISO())).toEqual(['2026-11-11T02:00:00.000Z', '2026-11-20T02:00:00.000Z']);
    expect(got.get(other)!.map((c) => c.channel)).toEqual(['complaint']);
    expect(got.get(999)).toEqual([]);
    expect(await reportRepository.complaintsReceivedByTeam(tdb.db, [], at('2026-11-11T00:00:00Z'), at('2026-11-24T16:00:00Z'))).toEqual(new Map());
  });

  it('finds the team a user acts in: the channel’s team, else the first they joined', async () => {
    const other = await seedTeam(tdb.db, { channelId: 'C2', name: 'Other', members: { alice: 'supervisor' } });
    expect((await teamRepository.membershipFor(tdb.db, 'slack', 'alice', 'C2'))!.member).toMatchObject({ teamId: other.id, role: 'supervisor' });
    expect((await teamRepository.membershipFor(tdb.db, 'slack', 'alice', 'D_DM'))!.member).toMatchObject({ teamId, role: 'specialist' });
    expect(await teamRepository.membershipFor(tdb.db, 'slack', 'nobody', 'C1')).toBeNull();
  });
});

const pgUrl = process.env.TEST_DATABASE_URL;
describe.runIf(Boolean(pgUrl))('migrations on PostgreSQL', () => {
  it('lets several instances start together: each migration runs once', async () => {
    const tdb = await postgresKind(pgUrl!).open();
    try {
      // Empty the fresh schema again, then migrate it from three pools at once, as replicas starting together would.
      const schema = tdb.schema!;
      const tables = await tdb.db
        .selectFrom('information_schema.tables' as never)
        .select('table_name' as never)
        .where('table_schema' as never, '=', schema as never)
        .execute();
      for (const { table_name } of tables as Array<{ table_name: string }>) await tdb.db.schema.dropTable(table_name).ifExists().cascade().execute();
      const replicas = await Promise.all([1, 2, 3].map(() => openDatabase({ kind: 'postgres', url: pgUrl!, schema, poolSize: 2 })));
      await Promise.all(replicas.map((r) => migrateToLatest(r.db, schema)));
      const applied = await tdb.db
        .selectFrom('kysely_migration' as never)
        .selectAll()
        .execute();
      expect(applied).toHaveLength(Object.keys(await migrationProvider.getMigrations()).length);
      expect(await teamRepository.count(tdb.db)).toBe(0);
      await Promise.all(replicas.map((r) => r.close()));
    } finally {
      await tdb.close();
    }
  });
});
