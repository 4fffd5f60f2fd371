import { createHash } from 'node:crypto';
import pg from 'pg';
import { fromDatabase } from './availability';

/** How often a statement's text must be seen on a connection before it is prepared there (pgjdbc's prepareThreshold). */
export const PREPARE_AFTER = 3;
/** At most this many statements prepared per connection (pgjdbc's preparedStatementCacheQueries is 256). */
export const MAX_PREPARED = 256;
const MAX_COUNTED = 2_048;

/**
 * A pg client that prepares the statements it runs often, as pgjdbc does: a text with
 * parameters seen PREPARE_AFTER times on this connection is sent as a named statement from
 * then on, so PostgreSQL parses and analyses it once per connection instead of on every
 * call (logging a contact: 0.29 ms of server CPU instead of 0.7). Bounded: texts that keep
 * changing (IN lists of every length) stop being counted and prepared at the caps.
 *
 * A statement whose result type a migration changed is refused by PostgreSQL (0A000, "cached
 * plan must not change result type"): it is run again unprepared (inside a transaction the
 * refusal stands, as the transaction is already aborted) and prepared anew later.
 */
export class PreparingClient extends pg.Client {
  readonly #seen = new Map<string, number>();
  readonly #names = new Map<string, string>();
  #generation = 0;

  constructor(config?: string | pg.ClientConfig) {
    super(config);
    // A connection that dies while checked out for a query (a database restart) emits 'error'
    // between queries too; without a listener that would end the process. The query under way
    // fails on its own, and the pool drops a client that is no longer queryable when it comes back.
    this.on('error', () => {});
  }

  // pg's query() has many overloads; only (text, values) without a callback, kysely's call, is changed.
  // biome-ignore lint/suspicious/noExplicitAny: pg's query() overloads, passed through as they are
  override query(...args: any[]): any {
    const [text, values, callback] = args as [unknown, unknown, unknown];
    const name = typeof text === 'string' && Array.isArray(values) && values.length > 0 && callback === undefined ? this.#nameFor(text) : null;
    if (!name) {
      const result = (super.query as (...a: unknown[]) => unknown)(...args);
      return isPromise(result) ? result.catch((error: unknown) => Promise.reject(this.#failed(error))) : result;
    }
    const running = super.query({ name, text: text as string, values: values as unknown[] });
    return running
      .catch((error: { code?: string }) => {
        if (error?.code !== '0A000') throw error;
        // Prepared before a migration changed what it returns: forget the name (it is prepared
        // afresh later) and, outside a transaction, where the refused statement did nothing,
        // drop the stale statement and run it again now.
        if (this.#names.get(text as string) === name) this.#names.delete(text as string);
        if (this.getTransactionStatus() !== 'I') throw error;
        void super.query(`deallocate ${name}`).catch(() => {});
        return super.query(text as string, values as unknown[]);
      })
      .catch((error: unknown) => Promise.reject(this.#failed(error)));
  }

  /** Marks a query's error as the database's; a connection gone silent (query_timeout) is closed, so the pool drops it. */
  #failed(error: unknown): unknown {
    if ((error as { message?: unknown } | null)?.message === 'Query read timeout') {
      // end() marks the client as ending at once, so the pool drops it when it comes back;
      // the socket is destroyed, as a goodbye over a silent link would never arrive.
      void this.end().catch(() => {});
      (this as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
    }
    return fromDatabase(error);
  }

  // pg-pool connects with a callback; a caller without one gets a promise.
  // biome-ignore lint/suspicious/noExplicitAny: pg-pool's connect() overloads, passed through as they are
  override connect(...args: any[]): any {
    const [callback] = args as [((error: Error | null) => void) | undefined];
    if (callback) return super.connect((error: Error) => callback(error ? fromDatabase(error) : error));
    return super.connect().catch((error: unknown) => Promise.reject(fromDatabase(error)));
  }

  #nameFor(text: string): string | null {
    const known = this.#names.get(text);
    if (known) return known;
    if (this.#names.size >= MAX_PREPARED) return null;
    const count = (this.#seen.get(text) ?? 0) + 1;
    if (count < PREPARE_AFTER) {
      if (this.#seen.size >= MAX_COUNTED) this.#seen.clear();
      this.#seen.set(text, count);
      return null;
    }
    this.#seen.delete(text);
    const name = `cs_${createHash('sha1').update(text).digest('hex').slice(0, 16)}_${this.#generation++}`;
    this.#names.set(text, name);
    return name;
  }
}

const isPromise = (value: unknown): value is Promise<unknown> => typeof (value as { then?: unknown } | null)?.then === 'function';
