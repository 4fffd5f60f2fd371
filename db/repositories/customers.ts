import { sql } from 'kysely';
import { NOBODY } from '../../src/core/actors';
import type { Customer } from '../../src/core/model';
import type { CustomerRow, Db } from '../database';

const toCustomer = (row: CustomerRow): Customer => ({
  id: row.id,
  teamId: row.team_id,
  name: row.name,
  phone: row.phone,
  ownerUserId: row.owner_user_id,
});

/** Customers of a team. They are created with their first contact (contactRepository.logWithCustomer). */
export const customerRepository = Object.freeze({
  async findByPhone(db: Db, teamId: number, phone: string): Promise<Customer | null> {
    const row = await db.selectFrom('customers').selectAll().where('team_id', '=', teamId).where('phone', '=', phone).executeTakeFirst();
    return row ? toCustomer(row) : null;
  },

  /**
   * A team's customers matching a search, among those `ownerUserId` owns when given (a
   * specialist sees only their own): a whole number, the last digits of one (尾号), or
   * part of a name. Exact name matches first.
   */
  async search(db: Db, teamId: number, query: { phone?: string; tail?: string; name?: string }, ownerUserId: string | null, limit = 10): Promise<Customer[]> {
    let q = db.selectFrom('customers').selectAll().where('team_id', '=', teamId);
    if (ownerUserId !== null) q = q.where('owner_user_id', '=', ownerUserId);
    if (query.phone !== undefined) q = q.where('phone', '=', query.phone);
    if (query.tail !== undefined) q = q.where('phone', 'like', `%${query.tail}`);
    if (query.name !== undefined) {
      const pattern = `%${query.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where('name', 'ilike', pattern).orderBy(sql`name = ${query.name}`, 'desc');
    }
    const rows = await q.orderBy('id').limit(limit).execute();
    return rows.map(toCustomer);
  },

  /** Gives a customer nobody owned yet to a member; false when someone already owned them. */
  async claimUnowned(db: Db, customerId: number, owner: string): Promise<boolean> {
    const row = await db.updateTable('customers').set({ owner_user_id: owner }).where('id', '=', customerId).where('owner_user_id', '=', NOBODY).returning('id').executeTakeFirst();
    return row !== undefined;
  },
});
