import type { Customer } from '../../src/core/model';
import type { CustomerRow, Db } from '../database';

export const toCustomer = (row: CustomerRow): Customer => ({
  id: row.id,
  teamId: row.team_id,
  name: row.name,
  phone: row.phone,
  ownerUserId: row.owner_user_id,
});

/** Customers of a team. They are created with their first contact (contactRepository.logWithCustomer). */
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

});
