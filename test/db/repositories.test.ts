import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../../db/connect';
import { contactRepository } from '../../db/repositories/contacts';
import { customerRepository } from '../../db/repositories/customers';
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

  const newContact = (customerId: number, over: Partial<Parameters<typeof contactRepository.insert>[1]> = {}) =>
    contactRepository.insert(tdb.db, {
      teamId,
      customerId,
      ownerUserId: 'alice',
      loggedBy: 'alice',
      channel: 'wechat',
      receivedAt: at('2026-11-24T02:00:00Z'),
      loggedAt: at('2026-11-24T02:01:00Z'),
      note: 'n',
      firstResponseDueAt: at('2026-11-24T02:30:00Z'),
      firstRespondedAt: null,
      status: 'open',
      ...over,
    });

  it('numbers contacts from 1001 and reads them back with their customer and instants intact', async () => {
    const customer = await customerRepository.findOrCreate(tdb.db, { teamId, name: '张先生', phone: '+8613812345678', ownerUserId: 'alice' });
    const id = await newContact(customer.id);
    expect(id).toBe(1001);
    const contact = await contactRepository.findById(tdb.db, id);
    expect(contact).toMatchObject({ id: 1001, channel: 'wechat', status: 'open', customer: { name: '张先生', phone: '+8613812345678' } });
    expect(contact!.firstResponseDueAt!.toISO()).toBe('2026-11-24T02:30:00.000Z');
    expect(contact!.firstRespondedAt).toBeNull();
  });

  it('finds a customer by phone whoever logs them, and by name only among the logger’s own', async () => {
    const first = await customerRepository.findOrCreate(tdb.db, { teamId, name: '张先生', phone: '+8613812345678', ownerUserId: 'alice' });
    const byPhone = await customerRepository.findOrCreate(tdb.db, { teamId, name: '张总', phone: '+8613812345678', ownerUserId: 'bob' });
    expect(byPhone).toEqual(first);
    const alicesLi = await customerRepository.findOrCreate(tdb.db, { teamId, name: '李女士', phone: null, ownerUserId: 'alice' });
    const bobsLi = await customerRepository.findOrCreate(tdb.db, { teamId, name: '李女士', phone: null, ownerUserId: 'bob' });
    expect(bobsLi.id).not.toBe(alicesLi.id);
    expect(await customerRepository.findOrCreate(tdb.db, { teamId, name: '李女士', phone: null, ownerUserId: 'alice' })).toEqual(alicesLi);
  });

  it('creates one customer when two replicas log the same new number at once', async () => {
    const make = () => tdb.db.transaction().execute((trx) => customerRepository.findOrCreate(trx, { teamId, name: '王', phone: '+8613900001111', ownerUserId: 'alice' }));
    const [a, b] = await Promise.all([make(), make()]);
    expect(a.id).toBe(b.id);
  });

  it('lists an owner’s unresolved contacts soonest due first, those without a deadline last', async () => {
    const c = await customerRepository.findOrCreate(tdb.db, { teamId, name: 'x', phone: null, ownerUserId: 'alice' });
    await newContact(c.id, { firstResponseDueAt: at('2026-11-24T06:00:00Z') });
    await newContact(c.id, { firstResponseDueAt: null, channel: 'visit', status: 'responded' });
    await newContact(c.id, { firstResponseDueAt: at('2026-11-24T02:15:00Z') });
    const resolved = await newContact(c.id);
    await contactRepository.update(tdb.db, resolved, { resolvedAt: at('2026-11-24T03:00:00Z'), status: 'resolved' });
    const open = await contactRepository.openForOwner(tdb.db, teamId, 'alice');
    expect(open.map((o) => o.id)).toEqual([1003, 1001, 1002]);
  });

  it('keeps the audit trail in order with before and after', async () => {
    const c = await customerRepository.findOrCreate(tdb.db, { teamId, name: 'x', phone: null, ownerUserId: 'alice' });
    const id = await newContact(c.id);
    await contactRepository.addEvent(tdb.db, { contactId: id, teamId, actorUserId: 'alice', kind: 'logged', at: at('2026-11-24T02:01:00Z'), after: { note: 'n' } });
    await contactRepository.addEvent(tdb.db, { contactId: id, teamId, actorUserId: 'carol', kind: 'replied', at: at('2026-11-24T02:10:00Z'), before: { status: 'open' }, after: { status: 'responded' } });
    const events = await contactRepository.events(tdb.db, id);
    expect(events.map((e) => [e.kind, e.actorUserId, e.before, e.after])).toEqual([
      ['logged', 'alice', null, { note: 'n' }],
      ['replied', 'carol', { status: 'open' }, { status: 'responded' }],
    ]);
  });

  it('claims a request key once and forgets old keys', async () => {
    expect(await requestKeyRepository.claim(tdb.db, 'event:E1', at('2026-11-23T00:00:00Z'))).toBe(true);
    expect(await requestKeyRepository.claim(tdb.db, 'event:E1', at('2026-11-23T00:00:01Z'))).toBe(false);
    expect(await requestKeyRepository.claim(tdb.db, 'event:E2', at('2026-11-24T12:00:00Z'))).toBe(true);
    expect(await requestKeyRepository.purgeOlderThan(tdb.db, at('2026-11-24T00:00:00Z'))).toBe(1);
    expect(await requestKeyRepository.claim(tdb.db, 'event:E1', at('2026-11-24T12:00:00Z'))).toBe(true);
  });

  it('finds the team a user acts in: the channel’s team, else the first they joined', async () => {
    const other = await seedTeam(tdb.db, { channelId: 'C2', name: 'Other', members: { alice: 'supervisor' } });
    expect((await teamRepository.membershipFor(tdb.db, 'alice', 'C2'))!.member).toMatchObject({ teamId: other.id, role: 'supervisor' });
    expect((await teamRepository.membershipFor(tdb.db, 'alice', 'D_DM'))!.member).toMatchObject({ teamId, role: 'specialist' });
    expect(await teamRepository.membershipFor(tdb.db, 'nobody', 'C1')).toBeNull();
  });
});

const pgUrl = process.env.TEST_DATABASE_URL;
describe.runIf(Boolean(pgUrl))('migrations on PostgreSQL', () => {
  it('lets several instances start together: each migration runs once', async () => {
    const tdb = await postgresKind(pgUrl!).open();
    try {
      // Empty the fresh schema again, then migrate it from three pools at once, as replicas starting together would.
      const schema = (await tdb.db.selectNoFrom((eb) => eb.fn<string>('current_schema').as('s')).executeTakeFirstOrThrow()).s;
      for (const t of ['request_keys', 'contact_events', 'contacts', 'customers', 'members', 'teams', 'kysely_migration', 'kysely_migration_lock']) {
        await tdb.db.schema.dropTable(t).cascade().execute();
      }
      const replicas = await Promise.all([1, 2, 3].map(() => openDatabase({ kind: 'postgres', url: pgUrl!, schema, poolSize: 2 })));
      await Promise.all(replicas.map((r) => migrateToLatest(r.db, schema)));
      const applied = await tdb.db.selectFrom('kysely_migration' as never).selectAll().execute();
      expect(applied).toHaveLength(1);
      expect(await teamRepository.count(tdb.db)).toBe(0);
      await Promise.all(replicas.map((r) => r.close()));
    } finally {
      await tdb.close();
    }
  });
});
