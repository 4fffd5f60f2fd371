import type { Customer } from '../../src/core/model';
import type { CustomerRow, Db } from '../database';

export const toCustomer = (row: CustomerRow): Customer => ({
  id: row.id,
  teamId: row.team_id,
  name: row.name,
  phone: row.phone,
  ownerUserId: row.owner_user_id,
});

/** Customers of a team; the first specialist to log one owns it (客户归属). */
export const customerRepository = Object.freeze({
  async findByPhone(db: Db, teamId: number, phone: string): Promise<Customer | null> {
    const row = await db
      .selectFrom('customers')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('phone', '=', phone)
      .executeTakeFirst();
    return row ? toCustomer(row) : null;
  },

  async findByName(db: Db, teamId: number, name: string): Promise<Customer[]> {
    const rows = await db
      .selectFrom('customers')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('name', '=', name)
      .orderBy('id')
      .execute();
    return rows.map(toCustomer);
  },

  /**
   * The customer a new contact belongs to: by phone when one is given (the number
   * decides ownership), else the logger's own customer of that name, else a new one.
   * A concurrent insert of the same phone is resolved by the unique index.
   */
  async findOrCreate(db: Db, input: { teamId: number; name: string; phone: string | null; ownerUserId: string }): Promise<Customer> {
    if (input.phone) {
      const byPhone = await customerRepository.findByPhone(db, input.teamId, input.phone);
      if (byPhone) return byPhone;
    } else {
      const own = (await customerRepository.findByName(db, input.teamId, input.name)).find(
        (c) => c.ownerUserId === input.ownerUserId,
      );
      if (own) return own;
    }
    const inserted = await db
      .insertInto('customers')
      .values({ team_id: input.teamId, name: input.name, phone: input.phone, owner_user_id: input.ownerUserId })
      .onConflict((oc) => oc.columns(['team_id', 'phone']).where('phone', 'is not', null).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return toCustomer(inserted);
    const raced = input.phone ? await customerRepository.findByPhone(db, input.teamId, input.phone) : null;
    if (!raced) throw new Error('customer insert conflicted but no row was found');
    return raced;
  },
});
