import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // A team's intake source (来电接入): the address a phone system or a CRM posts to. Only a
  // hash of the address's id is kept (it is the CTI endpoint's password); the signing secret
  // is kept as it must be, to verify HMACs, with the previous one while a rotation lasts.
  // Off, the row stays for its history with no id and no secret.
  await db.schema
    .createTable('intake_sources')
    .addColumn('team_id', 'integer', (c) => c.primaryKey().references('teams.id').onDelete('cascade'))
    .addColumn('id_hash', 'text', (c) => c.unique())
    .addColumn('id_hint', 'text')
    .addColumn('secret', 'text')
    .addColumn('secret_created_at', 'timestamptz')
    .addColumn('previous_secret', 'text')
    .addColumn('previous_valid_until', 'timestamptz')
    .addColumn('enabled_at', 'timestamptz')
    .addColumn('enabled_by', 'text')
    .addColumn('disabled_at', 'timestamptz')
    .execute();

  // Which extension, number or PBX user name is which member (`/cs team phone @alice 8001`).
  await db.schema
    .createTable('member_phones')
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('member_phones_pk', ['team_id', 'key'])
    .execute();

  // One row per call the phone system told of: the events seen so far (one of each kind), and
  // what has been made of them. The row's lock makes a call's events apply one at a time,
  // whichever replica receives them.
  await db.schema
    .createTable('intake_calls')
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('call_key', 'text', (c) => c.notNull())
    .addColumn('events', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('outcome', 'text')
    .addColumn('contact_id', 'integer', (c) => c.references('contacts.id'))
    .addColumn('first_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('intake_calls_pk', ['team_id', 'call_key'])
    .execute();
  await db.schema.createIndex('intake_calls_by_contact').on('intake_calls').column('contact_id').where(sql.ref('contact_id'), 'is not', null).execute();
  await db.schema.createIndex('intake_calls_by_day').on('intake_calls').columns(['team_id', 'first_at']).execute();

  // Signed events by their webhook-id: a retry gets the first answer and makes nothing new.
  await db.schema
    .createTable('intake_deliveries')
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('webhook_id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('body', 'jsonb', (c) => c.notNull())
    .addColumn('contact_id', 'integer', (c) => c.references('contacts.id'))
    .addPrimaryKeyConstraint('intake_deliveries_pk', ['team_id', 'webhook_id'])
    .execute();
  await db.schema.createIndex('intake_deliveries_by_day').on('intake_deliveries').columns(['team_id', 'received_at']).execute();

  // Who changed a team's intake and phone settings, and when.
  await db.schema
    .createTable('team_audit')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('actor_user_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('detail', 'jsonb')
    .execute();
  await db.schema.createIndex('team_audit_by_team').on('team_audit').columns(['team_id', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['team_audit', 'intake_deliveries', 'intake_calls', 'member_phones', 'intake_sources']) {
    await db.schema.dropTable(table).execute();
  }
}
