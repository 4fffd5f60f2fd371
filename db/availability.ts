/** Set on errors raised by the database client (see prepared-statements.ts), so a chat API's ECONNRESET is not taken for the database's. */
const FROM_DATABASE = Symbol.for('cs-bot.database-error');

/** Marks an error as the database client's own; returns it. */
export function fromDatabase<E>(error: E): E {
  if (error && typeof error === 'object' && !(FROM_DATABASE in error)) Object.defineProperty(error, FROM_DATABASE, { value: true });
  return error;
}

/**
 * Whether an error means the database cannot be reached just now (it is restarting,
 * the network dropped, the pool cannot connect), as opposed to a query that failed:
 * a command then says so and saves nothing, and the outbox tries again within seconds.
 * Only the database's errors count: a chat API's dropped connection is not an outage of ours.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const code = typeof e.code === 'string' ? e.code : '';
  // PostgreSQL's classes 08 (connection exception) and 57P (operator intervention): only the server sends these.
  if (/^08[0-9A-Z]{3}$/.test(code) || /^57P0[1-3]$/.test(code)) return true;
  // pg's and pg-pool's own words for a lost or impossible connection.
  const message = typeof e.message === 'string' ? e.message : '';
  if (/^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|terminating connection|Query read timeout)/i.test(message)) return true;
  // Connection-level system errors, when the database client raised them.
  return FROM_DATABASE in e && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN'].includes(code);
}
