import { DateTime } from 'luxon';
import type { Db } from '../../../db/database';
import { contactRepository } from '../../../db/repositories/contacts';
import { customerRepository } from '../../../db/repositories/customers';
import { intakeCallRepository } from '../../../db/repositories/intake-calls';
import { nagRepository } from '../../../db/repositories/nags';
import { rotationRepository } from '../../../db/repositories/rotation';
import { teamRepository } from '../../../db/repositories/teams';
import type { Outgoing } from '../../chat/message';
import { NOBODY, PHONE_SYSTEM } from '../../core/actors';
import { callOwner, formatCallDuration, outcomeAfter, summariseCall, type CallOutcome, type CallStep, type CallSummary } from '../../core/calls';
import { phoneKey } from '../../core/grammar/intake-commands';
import type { Contact, Customer, Team } from '../../core/model';
import { nextInRotation, rotationState } from '../../core/rotation';
import { t } from '../../i18n';
import { dayOf } from '../front-desk/rotation';
import { ownerNoticeMessage } from '../contacts/views';
import { attemptNotices, missedAgainNotices, unownedNotices } from './messages';

import type { ContactLogging } from '../contacts/log-contact';
import type { Logger } from '../../runtime/logger';

/** One call's work inside its transaction. */
export class CallWork {
  constructor(
    private readonly env: { readonly logging: ContactLogging; readonly logger: Logger },
    private readonly trx: Db,
    private readonly team: Team,
    private readonly callKey: string,
    private readonly call: CallSummary,
    private readonly number: string | null,
    private readonly now: DateTime,
    private readonly members: ReadonlyMap<string, string>,
  ) {}

  private get lang() {
    return this.team.lang;
  }
  private at = (ms: number) => DateTime.fromMillis(ms, { zone: 'utc' });

  /** The first of some keys (extensions, numbers, PBX names, user ids) that is an active member. */
  memberOf(keys: readonly string[]): string | null {
    for (const key of keys.map(phoneKey)) if (key !== null && this.members.has(key)) return this.members.get(key)!;
    return null;
  }

  /** The customer of the number, and their consultant when they have one still on the team. */
  private async customer(): Promise<{ customer: Customer | null; owner: string | null }> {
    const customer = this.number ? await customerRepository.findByPhone(this.trx, this.team.id, this.number) : null;
    if (!customer || customer.ownerUserId === NOBODY) return { customer, owner: null };
    const member = await teamRepository.memberOf(this.trx, this.team.id, customer.ownerUserId);
    return { customer, owner: member && member.active !== false ? customer.ownerUserId : null };
  }

  /** Today's next consultant at the front desk, on a day it runs. */
  private async rotationNext(): Promise<string | null> {
    const day = dayOf(this.team, this.now);
    const events = await rotationRepository.day(this.trx, this.team.id, day);
    if (events.length === 0) return null;
    return nextInRotation(rotationState(events, this.now.toMillis()), this.now.toMillis()).user;
  }

  /** 「未接 3 次：10:01、10:04、10:09」: every call counted, each minute said once. */
  private missedNote(times: readonly number[]): string {
    const hhmm = [...times].sort((a, b) => a - b).map((ms) => this.at(ms).setZone(this.team.zone).toFormat('HH:mm'));
    return t(this.lang, 'intake.missedNote', { count: times.length, times: [...new Set(hhmm)].join('、') });
  }

  async apply(
    step: CallStep,
    applied: { outcome: CallOutcome | null; contactId: number | null },
  ): Promise<{ outcome: CallOutcome; contactId: number | null; notices: Outgoing[]; openedMissed: boolean }> {
    const result = (contactId: number | null, notices: Outgoing[] = [], folded = false, openedMissed = false) => ({ outcome: outcomeAfter(step, folded), contactId, notices, openedMissed });
    switch (step) {
      case 'missed': {
        const { customer, owner } = await this.customer();
        const open = customer ? await intakeCallRepository.openMissed(this.trx, this.team.id, customer.id) : [];
        const target = open.at(-1);
        if (target) return { ...(await this.fold(target)), outcome: 'folded' as const, openedMissed: false };
        const rang = this.memberOf(this.call.rang);
        const found = callOwner({ answeredBy: null, customerOwner: owner, rang: rang ? [rang] : [], rotationNext: owner || rang ? null : await this.rotationNext() });
        const logged = await this.log('missed', { loggedBy: PHONE_SYSTEM, owner: found.owner, how: found.how, note: this.missedNote([this.call.startedAt]) });
        if (!logged) return result(null);
        const { contact, due } = logged;
        const notices = await this.env.logging.noticesOf(this.team, contact, due, PHONE_SYSTEM, this.lang);
        if (contact.ownerUserId === NOBODY) notices.unshift(...(await unownedNotices(this.trx, this.team, contact)));
        return result(contact.id, notices, false, true);
      }
      case 'anonymous': {
        const rang = this.memberOf(this.call.rang);
        const owner = rang ?? (await this.rotationNext());
        const logged = await this.log('missed', { loggedBy: PHONE_SYSTEM, owner, how: rang ? 'rang' : owner ? 'rotation' : 'nobody', note: t(this.lang, 'intake.anonymousNote'), noClock: true });
        return result(logged?.contact.id ?? null);
      }
      case 'answered':
        return this.answered(step);
      case 'ringLate':
        return result(applied.contactId, applied.contactId === null ? [] : await this.ringLate(applied.contactId));
      case 'answeredAfterAll':
        return this.answeredAfterAll(applied);
      case 'callback': {
        const caller = this.memberOf(this.call.callers);
        const open = await this.openForNumber();
        const answeredAt = this.at(this.call.answeredAt!);
        for (const contact of open) await this.meet(contact, answeredAt, caller ?? PHONE_SYSTEM, t(this.lang, 'intake.callbackNote'));
        return result(open[0]?.id ?? null);
      }
      case 'callbackEnded': {
        const contactId = applied.contactId;
        if (contactId !== null) {
          const caller = this.memberOf(this.call.callers);
          const duration = formatCallDuration(this.call.endedAt! - this.call.answeredAt!, this.lang);
          await contactRepository.addEvent(this.trx, {
            contactId,
            teamId: this.team.id,
            actorUserId: caller ?? PHONE_SYSTEM,
            kind: 'noted',
            at: this.now,
            after: { note: t(this.lang, 'intake.callbackDuration', { duration }) },
          });
        }
        return result(contactId);
      }
      case 'attempt': {
        const caller = this.memberOf(this.call.callers);
        const open = await this.openForNumber();
        const at = this.at(this.call.endedAt!);
        for (const contact of open) {
          await contactRepository.addEvent(this.trx, {
            contactId: contact.id,
            teamId: this.team.id,
            actorUserId: caller ?? PHONE_SYSTEM,
            kind: 'callAttempt',
            at,
            after: { ...(this.call.cause ? { cause: this.call.cause } : {}) },
          });
        }
        const notices = open.length ? await attemptNotices(this.trx, this.team, open, caller ?? PHONE_SYSTEM, at) : [];
        return result(open[0]?.id ?? null, notices);
      }
    }
  }

  /** The same number missed again while its call-back clock runs: one contact, one clock, at most one short update. */
  private async fold(target: Contact): Promise<{ contactId: number; notices: Outgoing[] }> {
    const calls = await intakeCallRepository.missedCallsOf(this.trx, target.id);
    // The contact's own call, when the phone system made it; else a person logged it when it came.
    const startedAt = (c: (typeof calls)[number]) => summariseCall(c.events)?.startedAt ?? target.receivedAt.toMillis();
    const times = [...(calls.some((c) => c.outcome === 'missed') ? [] : [target.receivedAt.toMillis()]), ...calls.map(startedAt), this.call.startedAt];
    const count = times.length;
    const note = this.missedNote(times);
    // A note the phone system wrote is kept up to date; one a person typed is theirs.
    if (target.loggedBy === PHONE_SYSTEM) await contactRepository.update(this.trx, target.id, { at: this.now, note });
    await contactRepository.addEvent(this.trx, {
      contactId: target.id,
      teamId: this.team.id,
      actorUserId: PHONE_SYSTEM,
      kind: 'missedAgain',
      at: this.at(this.call.startedAt),
      after: { note, count },
    });
    const notices = count === 2 ? await missedAgainNotices(this.trx, this.team, target, count) : [];
    return { contactId: target.id, notices };
  }

  private async answered(step: CallStep) {
    const answerer = this.memberOf(this.call.answeredBy);
    const { owner } = await this.customer();
    const rang = answerer || owner ? null : this.memberOf(this.call.rang);
    const found = callOwner({ answeredBy: answerer, customerOwner: owner, rang: rang ? [rang] : [], rotationNext: answerer || owner || rang ? null : await this.rotationNext() });
    const actor = answerer ?? PHONE_SYSTEM;
    const logged = await this.log('call', {
      loggedBy: actor,
      owner: answerer ?? found.owner,
      how: found.how,
      note: t(this.lang, 'intake.answeredNote'),
      respondedAt: this.at(this.call.answeredAt!),
    });
    if (!logged) return { outcome: outcomeAfter(step, false), contactId: null, notices: [], openedMissed: false };
    const notices = await this.env.logging.noticesOf(this.team, logged.contact, logged.due, actor, this.lang);
    if (logged.contact.ownerUserId === NOBODY) notices.unshift(...(await unownedNotices(this.trx, this.team, logged.contact)));
    return { outcome: 'answered' as const, contactId: logged.contact.id, notices, openedMissed: false };
  }

  /** An answer that came after the call was taken for missed: what a person reading every event would conclude. */
  private async answeredAfterAll(applied: { outcome: CallOutcome | null; contactId: number | null }) {
    const answerer = this.memberOf(this.call.answeredBy);
    const note = t(this.lang, 'intake.answeredAfterAll');
    const none = { outcome: 'answered' as const, contactId: applied.contactId, notices: [] as Outgoing[], openedMissed: false };
    if (applied.outcome === 'folded') {
      // It was added to another call's clock: it leaves that count and is a call of its own.
      const target = applied.contactId;
      if (target !== null) await contactRepository.addEvent(this.trx, { contactId: target, teamId: this.team.id, actorUserId: PHONE_SYSTEM, kind: 'noted', at: this.now, after: { note } });
      return this.answered('answered');
    }
    if (applied.contactId === null) return none;
    const contact = await contactRepository.findByIdForUpdate(this.trx, applied.contactId);
    if (!contact) return none;
    if (applied.outcome === 'missed' && contact.firstRespondedAt === null && contact.resolvedAt === null) {
      await this.meet(contact, this.at(this.call.answeredAt!), answerer ?? PHONE_SYSTEM, note);
    } else {
      await contactRepository.addEvent(this.trx, { contactId: contact.id, teamId: this.team.id, actorUserId: answerer ?? PHONE_SYSTEM, kind: 'noted', at: this.now, after: { note } });
    }
    return none;
  }

  /** Who a missed call rang, learnt after it was logged: a clock nobody had goes to them, as a typed log would have. */
  private async ringLate(contactId: number): Promise<Outgoing[]> {
    const contact = await contactRepository.findByIdForUpdate(this.trx, contactId);
    if (!contact || contact.ownerUserId !== NOBODY || contact.firstRespondedAt !== null) return [];
    const rang = this.memberOf(this.call.rang);
    if (!rang) return [];
    await contactRepository.update(this.trx, contactId, { at: this.now, ownerUserId: rang });
    await customerRepository.claimUnowned(this.trx, contact.customer.id, rang);
    await contactRepository.addEvent(this.trx, { contactId, teamId: this.team.id, actorUserId: PHONE_SYSTEM, kind: 'reassigned', at: this.now, before: { owner: NOBODY }, after: { owner: rang } });
    const owned = { ...contact, ownerUserId: rang, customer: { ...contact.customer, ownerUserId: rang } };
    return [{ to: { kind: 'dm', user: rang }, message: ownerNoticeMessage(owned, this.team, this.lang, PHONE_SYSTEM) }];
  }

  /** The number's missed-call contacts whose call-back clock still runs. */
  private async openForNumber(): Promise<Contact[]> {
    if (!this.number) return [];
    const customer = await customerRepository.findByPhone(this.trx, this.team.id, this.number);
    return customer ? intakeCallRepository.openMissed(this.trx, this.team.id, customer.id) : [];
  }

  /** Meets a missed call's response clock, as `/cs reply` does: its reminders stop. */
  private async meet(contact: Contact, at: DateTime, actor: string, note: string): Promise<void> {
    await contactRepository.update(this.trx, contact.id, { at: this.now, firstRespondedAt: at, status: 'responded' });
    await nagRepository.cancelForClock(this.trx, contact.id, ['response']);
    await contactRepository.addEvent(this.trx, {
      contactId: contact.id,
      teamId: this.team.id,
      actorUserId: actor,
      kind: 'replied',
      at,
      before: { status: contact.status },
      after: { status: 'responded', note },
    });
  }

  /** Records the call as a contact through the one path every contact takes. */
  private async log(channel: 'missed' | 'call', c: { loggedBy: string; owner: string | null; how: string; note: string; respondedAt?: DateTime; noClock?: boolean }) {
    const recorded = await this.env.logging.record(this.trx, {
      team: this.team,
      loggedBy: c.loggedBy,
      ownerForNew: c.owner ?? NOBODY,
      channel,
      customerName: t(this.lang, this.number ? 'intake.caller' : 'intake.anonymousCaller'),
      phone: this.number,
      receivedAt: this.at(this.call.startedAt),
      note: c.note,
      // One call id, one contact: a second replica's copy finds this one.
      requestKey: `cti:${this.team.id}:${this.callKey}`,
      level: null,
      category: null,
      ...(c.respondedAt ? { respondedAt: c.respondedAt } : {}),
      ...(c.noClock ? { noClock: true } : {}),
      eventExtra: { via: 'phone-system', owner: c.how },
    });
    if (recorded.kind === 'error') {
      this.env.logger.warn({ teamId: this.team.id, err: recorded.error.key }, 'a call could not be logged');
      return null;
    }
    return recorded.kind === 'logged' ? recorded : { contact: recorded.contact, due: { response: null, resolution: null, guessedYears: [] } };
  }
}
