import { createHash } from 'node:crypto';
import { intakeRepository } from '../../../db/repositories/intake';
import { intakeCallRepository } from '../../../db/repositories/intake-calls';
import type { Outgoing } from '../../chat/message';
import { callerNumber, nextSteps, summariseCall, withEvent, type CallEvent, type CallOutcome } from '../../core/calls';
import { phoneKey } from '../../core/grammar/intake-commands';
import type { Team } from '../../core/model';
import { createComplaintActions } from '../complaints/complaint-actions';
import { createContactLogging } from '../contacts/log-contact';
import type { CommandServiceDeps } from '../commands/requests';
import { CallWork } from './call-work';

/** What one call event came to: what was made of the call, and the messages to send once it is saved. */
export interface CallReceipt {
  readonly outcome: CallOutcome | 'duplicate' | 'ringing' | 'unchanged';
  readonly notices: readonly Outgoing[];
  /** A missed call's clock was opened: its owner's DM is among the notices (the lag the operator watches). */
  readonly openedMissed: boolean;
}

/** What is kept of a phone system's call id: its SHA-256 (a call id may carry anything, a number too). */
const callKeyOf = (callId: string) => createHash('sha256').update(callId).digest('hex');

/**
 * The phone system's calls (Zammad's generic CTI) made into contacts, as `/cs log` makes
 * them: a missed call opens the call-back clock for the right person, the same number
 * missed again adds to it, an answered call is a call contact, and a call-back meets the
 * clock (or is recorded as an attempt). Each event applies under its call's row lock and
 * the number's lock, in one transaction: twice, late, out of order or on two replicas, a
 * call id never makes two contacts.
 */
export function createCallIntake(deps: CommandServiceDeps) {
  const { db, clock, logger } = deps;
  const logging = createContactLogging(deps, createComplaintActions(deps));

  async function receive(team: Team, callId: string, event: Omit<CallEvent, 'at'>): Promise<CallReceipt> {
    const callKey = callKeyOf(callId);
    const receipt = await db.transaction().execute(async (trx) => {
      const now = clock.now();
      const stored = await intakeCallRepository.lock(trx, team.id, callKey, now);
      const { events, changed } = withEvent(stored.events, { ...event, at: now.toMillis() });
      if (!changed) return { outcome: 'duplicate' as const, notices: [], openedMissed: false, wrote: false };
      const call = summariseCall(events)!;
      const number = callerNumber(call.customerNumber);
      const steps = nextSteps(stored.outcome, call, number !== null, event.kind);
      const applied = { outcome: stored.outcome, contactId: stored.contactId };
      const notices: Outgoing[] = [];
      let openedMissed = false;
      if (steps.length > 0) {
        if (number) await intakeCallRepository.lockNumber(trx, team.id, number);
        // Every extension, number and name the call's events hold, looked up at once.
        const keys = [...new Set([number, ...call.rang, ...call.answeredBy, ...call.callers].flatMap((k) => (k === null ? [] : [phoneKey(k)])).filter((k): k is string => k !== null))];
        const members = await intakeRepository.membersByKeys(trx, team.id, keys);
        const work = new CallWork({ logging, logger }, trx, team, callKey, call, number, now, members);
        // One of the team calling the hotline, or a colleague's mobile: no customer.
        if (stored.outcome === null && number && work.memberOf([number])) applied.outcome = 'internal';
        else {
          for (const step of steps) {
            const done = await work.apply(step, applied);
            applied.outcome = done.outcome;
            applied.contactId = done.contactId;
            notices.push(...done.notices);
            openedMissed ||= done.openedMissed;
          }
        }
      }
      await intakeCallRepository.save(trx, team.id, callKey, { events, outcome: applied.outcome, contactId: applied.contactId, at: now });
      const outcome: CallReceipt['outcome'] = steps.length === 0 ? (call.endedAt === null && call.answeredAt === null ? 'ringing' : 'unchanged') : (applied.outcome ?? 'unchanged');
      return { outcome, notices, openedMissed, wrote: steps.length > 0 };
    });
    if (receipt.wrote) deps.onDeadlinesChanged?.();
    // A ringing call or a repeat changes nothing worth a line at info.
    const level = receipt.outcome === 'ringing' || receipt.outcome === 'duplicate' ? 'debug' : 'info';
    logger[level]({ teamId: team.id, event: event.kind, outcome: receipt.outcome }, 'call event');
    // Another platform's team (one process serves one platform): its reminders go out from
    // its own process; the DMs of the moment cannot.
    if (team.platform !== deps.platform && receipt.notices.length > 0) {
      logger.warn({ teamId: team.id, platform: team.platform }, "a call for another platform's team: its DMs are not sent from here");
      return { outcome: receipt.outcome, notices: [], openedMissed: false };
    }
    return { outcome: receipt.outcome, notices: receipt.notices, openedMissed: receipt.openedMissed };
  }

  return Object.freeze({ receive });
}

export type CallIntake = ReturnType<typeof createCallIntake>;
