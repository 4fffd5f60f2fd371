import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { Database } from '../../../db/database';
import { contactRepository } from '../../../db/repositories/contacts';
import { nagRepository, type ClaimedNag } from '../../../db/repositories/nags';
import { staffingRepository } from '../../../db/repositories/staffing';
import { teamRepository } from '../../../db/repositories/teams';
import { DeliveryError, type ChatGateway } from '../../chat/gateway';
import type { Destination } from '../../chat/message';
import type { Clock } from '../../core/time/clock';
import type { Platform, Team } from '../../core/model';
import { createPacer, type Pacer } from '../../chat/pacer';
import type { HolidayData } from '../../core/time/calendar';
import { chineseHolidayData } from '../team/holidays';
import type { Logger } from '../../runtime/logger';
import { NO_METRICS, type Metrics, type ReminderResult } from '../../runtime/metrics';
import { nagMessage } from './nag-messages';
import { groupByRecipient, type RecipientGroup } from './nag-groups';
import type { Recipient } from './nag-recipients';
import { reportUndeliverable } from './undeliverable';

export interface NagSweeperDeps {
  /** Whose reminders this process sends: its own platform's teams'. */
  readonly platform: Platform;
  readonly db: Kysely<Database>;
  readonly gateway: ChatGateway;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How many teams one claim takes (all of each one's due reminders). */
  readonly teamsPerClaim?: number;
  /** How long a claim holds unless renewed, before another replica may take the nag over (a crash between claim and send). */
  readonly leaseMs?: number;
  /** How many recipients are sent to at once. */
  readonly concurrency?: number;
  /** The process's waits imposed by the platform (shared with every other sender). */
  readonly pacer?: Pacer;
  /** The holiday table, for time left in working time (China's by default). */
  readonly holidays?: HolidayData;
  /** The operator's counters (none by default). */
  readonly metrics?: Metrics;
}

export interface SweepResult {
  sent: number;
  retried: number;
  cancelled: number;
}

/** The most reminders in one message; one person's longer list goes out as several. */
const MAX_ITEMS = 100;

const MAX_BACKOFF_MS = 10 * 60_000;

/**
 * Sends the reminders that are due: claims them, groups them by recipient (one
 * message per person per pass), delivers, and records each delivery. A failure
 * puts the nag back for a later try (the platform's Retry-After, else backoff);
 * a crash leaves it claimed until its lease runs out, then another pass sends it.
 */
export function createNagSweeper(deps: NagSweeperDeps) {
  const { db, gateway, clock, logger } = deps;
  const teamsPerClaim = deps.teamsPerClaim ?? 200;
  // Renewed every third of it while a pass works: a replica that died lets go within seconds.
  const leaseMs = deps.leaseMs ?? 10_000;
  let stopping = false;
  const concurrency = deps.concurrency ?? 8;
  const pacer = deps.pacer ?? createPacer(clock);
  const holidays = deps.holidays ?? chineseHolidayData();
  const metrics = deps.metrics ?? NO_METRICS;
  const count = (nags: readonly ClaimedNag[], result: ReminderResult) => {
    const bySteps = new Map<string, number>();
    for (const n of nags) bySteps.set(n.step, (bySteps.get(n.step) ?? 0) + 1);
    for (const [step, n] of bySteps) metrics.reminder(deps.platform, step, result, n);
  };

  // Sends that reached their recipient while the database could not record them: written
  // before anything is claimed again, so what someone already received is not sent twice.
  const unrecorded: Array<{ nagIds: readonly number[]; recipient: string; at: DateTime }> = [];
  let recordRetry: ReturnType<typeof setTimeout> | null = null;
  async function recordDeliveries(): Promise<void> {
    while (unrecorded.length > 0) {
      const next = unrecorded[0]!;
      await nagRepository.markDelivered(db, next.nagIds, next.recipient, next.at);
      unrecorded.shift();
    }
  }
  // Tried every second, not only at the next pass: the sooner it is written, the smaller
  // the window in which another replica could take the claim over and send it again.
  function keepRecording(): void {
    if (recordRetry || unrecorded.length === 0) return;
    recordRetry = setTimeout(() => {
      recordRetry = null;
      recordDeliveries().then(
        () => logger.info('deliveries made during the database outage recorded'),
        () => keepRecording(),
      );
    }, 1000);
    recordRetry.unref?.();
  }

  async function processBatch(batch: readonly ClaimedNag[], claim: { by: string; heldUntil: number }, result: SweepResult): Promise<void> {
    const now = clock.now();
    const contacts = new Map((await contactRepository.findByIds(db, [...new Set(batch.map((n) => n.contactId))])).map((c) => [c.id, c]));
    const teamIds = [...new Set(batch.map((n) => n.teamId))];
    const teams = new Map((await teamRepository.findByIds(db, teamIds)).map((t) => [t.id, t]));
    const members = await teamRepository.membersOfTeams(db, teamIds);
    const covers = await staffingRepository.activeCovers(db, teamIds, now);

    const { cancelled, groups, pendingRecipients } = groupByRecipient(batch, { contacts, teams, members, covers }, now);
    await nagRepository.cancel(db, cancelled, claim.by);
    result.cancelled += cancelled.length;
    const cancelledIds = new Set(cancelled);
    count(
      batch.filter((n) => cancelledIds.has(n.id)),
      'cancelled',
    );

    const claimed = new Map(batch.map((n) => [n.id, n]));
    // Nags whose claim this pass no longer holds (the lease ran out and another replica took
    // it): not sent, not recorded, left to their new holder.
    const lost = new Set<number>();
    // The database failed to record a send: nothing more is sent until it is back.
    let recordingFailed = false;
    const failed = new Map<number, { retryAt: DateTime; error: string }>();
    const undeliverable: Array<{ team: Team; to: Destination }> = [];
    const putBack = (nagIds: readonly number[], retryAt: DateTime, error: string) => {
      for (const id of nagIds) {
        const before = failed.get(id);
        if (!before || retryAt < before.retryAt) failed.set(id, { retryAt, error });
      }
    };
    const done = async (nagIds: readonly number[], recipient: Recipient) => {
      const at = clock.now();
      for (const id of nagIds) {
        const nag = claimed.get(id)!;
        metrics.reminderLag(deps.platform, nag.step, (at.toMillis() - nag.fireAt.getTime()) / 1000);
      }
      for (const id of nagIds) pendingRecipients.get(id)?.delete(recipient.key);
      // Recorded right after its own send, so a crash re-sends at most the messages in flight.
      try {
        await nagRepository.markDelivered(db, nagIds, recipient.key, at);
      } catch (error) {
        // It was delivered: kept in memory and written before the next claim, not put back.
        logger.warn({ err: error, nags: nagIds.length }, 'delivery not recorded; kept until the database takes it');
        unrecorded.push({ nagIds, recipient: recipient.key, at });
        recordingFailed = true;
        keepRecording();
      }
    };
    // One person's reminders in messages of at most MAX_ITEMS each, in order: a long list is
    // several messages rather than one cut short, and each is recorded as it goes.
    const deliverAll = async ({ recipient, team, items }: RecipientGroup) => {
      for (let from = 0; from < items.length; from += MAX_ITEMS) {
        const ok = await deliver({ recipient, team, items: items.slice(from, from + MAX_ITEMS) });
        if (!ok) {
          putBack(
            items.slice(from + MAX_ITEMS).map((i) => i.nagId),
            failed.get(items[from]!.nagId)?.retryAt ?? clock.now(),
            'after a part that was not delivered',
          );
          return;
        }
      }
    };
    const deliver = async ({ recipient, team, items }: RecipientGroup): Promise<boolean> => {
      const nagIds = items.map((i) => i.nagId).filter((id) => !lost.has(id));
      if (nagIds.length === 0) return true;
      if (nagIds.length < items.length) items = items.filter((i) => nagIds.includes(i.nagId));
      // The database cannot record a send (an outage), or the claim may have run out (renewals
      // failed): sending now could double what another replica sends later. Left claimed; the
      // lease runs out and the next pass, here or elsewhere, sends them.
      if (recordingFailed || clock.now().toMillis() >= claim.heldUntil - leaseMs / 5) {
        for (const id of nagIds) lost.add(id);
        return false;
      }
      // Stopping (a deploy): what was not sent yet goes back at once, for another replica to send.
      if (stopping) {
        putBack(nagIds, clock.now(), 'handed back: the replica is stopping');
        return false;
      }
      // A wait the platform imposed (on everyone, or on this person) is honoured without calling it.
      const held = pacer.heldUntil(recipient.key);
      if (held !== null) {
        putBack(nagIds, DateTime.fromMillis(held), 'held: the platform asked to wait');
        return false;
      }
      const message = nagMessage(items, team, team.lang, recipient.audience, now.toJSDate(), holidays);
      try {
        await gateway.send({ to: recipient.to, message });
        await done(nagIds, recipient);
        return true;
      } catch (error) {
        if (error instanceof DeliveryError) pacer.refused(recipient.key, error);
        if (error instanceof DeliveryError && error.permanent) {
          // The platform will never take it (someone who left, a robot removed from the group):
          // trying again changes nothing, so it counts as done and the managers are told.
          logger.warn({ err: error, to: recipient.to.kind, nags: nagIds.length }, 'reminder undeliverable; not retried');
          undeliverable.push({ team, to: recipient.to });
          for (const id of nagIds) metrics.reminder(deps.platform, claimed.get(id)!.step, 'undeliverable');
          await done(nagIds, recipient);
          return true;
        }
        const attempts = Math.max(...nagIds.map((id) => claimed.get(id)!.attempts));
        const waitMs = error instanceof DeliveryError && error.retryAfterMs !== undefined ? error.retryAfterMs : Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(attempts, 10));
        logger.warn({ err: error, to: recipient.to.kind, nags: nagIds.length, retryInMs: waitMs }, 'reminder not delivered; will retry');
        putBack(nagIds, clock.now().plus({ milliseconds: waitMs }), error instanceof Error ? error.message : String(error));
        return false;
      }
    };
    // Different recipients are different chats: deliver to several at once. Meanwhile the
    // claims are renewed, so a long pass keeps them and a dead replica's run out in seconds.
    const renewal = setInterval(
      () => {
        const ids = batch.map((n) => n.id).filter((id) => !lost.has(id));
        const until = clock.now().plus({ milliseconds: leaseMs });
        nagRepository.renewClaims(db, ids, until, claim.by).then(
          (held) => {
            claim.heldUntil = until.toMillis();
            for (const id of ids) if (!held.has(id)) lost.add(id);
          },
          (error: unknown) => logger.warn({ err: error }, 'reminder claims not renewed'),
        );
      },
      Math.max(1000, leaseMs / 3),
    );
    const queue = [...groups.values()];
    try {
      // One message first, the rest once it got through: a platform in a rate limit (a 429)
      // is asked once per pass, not once per person.
      if (queue.length > 1) await deliverAll(queue.shift()!);
      await Promise.all(
        Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
          for (let next = queue.shift(); next; next = queue.shift()) await deliverAll(next);
        }),
      );
    } finally {
      clearInterval(renewal);
    }

    if (recordingFailed) throw new Error('deliveries could not be recorded: the database is unavailable');
    for (const id of lost) failed.delete(id);
    const sent = [...pendingRecipients].filter(([id, waiting]) => waiting.size === 0 && !failed.has(id) && !lost.has(id)).map(([id]) => id);
    await nagRepository.markSent(db, sent, clock.now(), claim.by);
    result.sent += sent.length;
    const sentIds = new Set(sent);
    count(
      batch.filter((n) => sentIds.has(n.id)),
      'sent',
    );
    count(
      batch.filter((n) => failed.has(n.id)),
      'retried',
    );
    // Put back in one statement per retry moment, not one per nag: an outage fails thousands at once.
    const retries = new Map<string, { retryAt: DateTime; error: string; ids: number[] }>();
    for (const [id, { retryAt, error }] of failed) {
      const key = `${retryAt.toMillis()}|${error}`;
      const group = retries.get(key) ?? { retryAt, error, ids: [] };
      group.ids.push(id);
      retries.set(key, group);
    }
    for (const { retryAt, error, ids } of retries.values()) await nagRepository.retryLater(db, ids, retryAt, error, claim.by);
    result.retried += failed.size;
    await reportUndeliverable({ db, gateway, clock, logger }, undeliverable, members);
  }

  /** One pass: everything due now, in batches. */
  async function sweep(): Promise<SweepResult> {
    const result: SweepResult = { sent: 0, retried: 0, cancelled: 0 };
    // Most passes find nothing: a plain indexed read says so more cheaply than the claiming update.
    // What reached people during an outage is written first (this throws while the database is still away).
    await recordDeliveries();
    // A replica that cannot send (WeCom: another holds the connection) leaves the reminders to one that can.
    if (gateway.canSend && !gateway.canSend()) return result;
    if (stopping || !(await nagRepository.anyDue(db, deps.platform, clock.now()))) return result;
    while (!stopping) {
      const by = randomUUID();
      const claimedAt = clock.now();
      const batch = await nagRepository.claimDue(db, deps.platform, claimedAt, leaseMs, teamsPerClaim, { by });
      if (batch.length === 0) break;
      if (stopping) {
        // Stopping with a batch claimed: nothing of it was sent; it goes back at once.
        await nagRepository.retryLater(
          db,
          batch.map((n) => n.id),
          clock.now(),
          'handed back: the replica is stopping',
          by,
        );
        break;
      }
      await processBatch(batch, { by, heldUntil: claimedAt.toMillis() + leaseMs }, result);
    }
    if (result.sent || result.retried || result.cancelled) logger.info(result, 'reminders swept');
    return result;
  }

  return Object.freeze({
    sweep,
    platform: deps.platform,
    /** A deploy: the pass under way finishes the sends in flight and hands the rest back at once. */
    stop(): void {
      stopping = true;
    },
  });
}

export type NagSweeper = ReturnType<typeof createNagSweeper>;
