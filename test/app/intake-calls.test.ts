import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contactRepository } from '../../db/repositories/contacts';
import { textOf } from '../helpers/messages';
import { databaseKinds } from '../helpers/db';
import { eventually, postCti, recipient, sentLines, startTestIntake, turnIntakeOn, type FormFields } from '../helpers/intake';
import { TEAM_CHANNEL, teamFixture } from '../helpers/team';

const MONDAY_10 = '2026-12-07T10:00:00+08:00';
const CALLER = '13812345678';
const HOTLINE = '4008208820';

describe.each(databaseKinds())('calls from the phone system (Zammad generic CTI) on $name', (kind) => {
  const team = teamFixture(kind, { start: MONDAY_10, members: { alice: 'specialist', bob: 'specialist', carol: 'supervisor', dave: 'manager' } });
  const { clock, run, say } = team;
  let intake: Awaited<ReturnType<typeof startTestIntake>>;
  let url: string;
  beforeEach(async () => {
    intake = await startTestIntake(team.tdb.db, clock);
    const { id } = await turnIntakeOn(team.service, 'dave', TEAM_CHANNEL);
    url = `${intake.base}/intake/${id}/cti`;
    await run('dave', 'team phone @alice "Alice Wang"');
    await run('dave', 'team phone @bob 8002');
  });
  afterEach(() => intake.stop());

  /** One event of a call, the clock moved on first. */
  const event = async (fields: FormFields, after = 0, as: 'form' | 'json' | 'multipart' = 'form') => {
    clock.advance({ seconds: after });
    const res = await postCti(url, fields, as);
    expect(res).toMatchObject({ status: 200, body: {} });
  };
  const inbound = (callId: string, more: FormFields = {}): FormFields => ({ from: CALLER, to: HOTLINE, direction: 'in', callId, ...more });
  const dmsTo = (user: string) => intake.sent.filter((o) => recipient(o) === `@${user}`);
  const contacts = () => team.tdb.db.selectFrom('contacts').selectAll().orderBy('id').execute();

  it('opens the call-back clock of a missed call for the member it rang, and DMs them as a typed log does, within 2 s', async () => {
    await event({ event: 'newCall', ...inbound('c1', { user: ['Alice Wang'] }) });
    await event({ event: 'hangup', ...inbound('c1', { cause: 'cancel' }) }, 20);
    const hungUp = Date.now();
    await eventually(() => dmsTo('alice').length > 0, "alice's DM", 2000);
    expect(Date.now() - hungUp).toBeLessThan(2000);
    expect(sentLines(intake.sent)).toEqual([
      '@alice: 📞PBX logged #1001 (missed call) for your customer Caller 138****5678; first response due 2026-12-07 10:15.\n[Replied:reply 1001] [Resolved:resolve 1001]',
    ]);
    const [c] = await contacts();
    expect(c).toMatchObject({ channel: 'missed', owner_user_id: 'alice', logged_by: '~pbx', status: 'open', note: 'missed 1×: 10:00' });
    expect(c!.received_at.toISOString()).toBe('2026-12-07T02:00:00.000Z');
    expect(c!.first_response_due_at!.toISOString()).toBe('2026-12-07T02:15:00.000Z');
    // Its reminders are those of a typed missed call.
    const nags = await team.tdb.db.selectFrom('nags').select(['clock', 'step']).where('contact_id', '=', 1001).orderBy('fire_at').execute();
    expect(nags.filter((n) => n.clock === 'response').map((n) => n.step)).toEqual(['due_soon', 'overdue', 'escalation']);
    // The number is now alice's customer, and the contact is in her open work.
    expect(await say('alice', 'mine')).toContain('#1001 · missed call · Caller 138****5678 · first response due 2026-12-07 10:15');
    expect(await say('alice', 'customer 5678')).toContain('Caller');
    // The first name someone gives the number replaces the phone system's placeholder.
    await run('alice', `log call 张先生 ${CALLER} 回电了`);
    expect(await say('alice', 'customer 5678')).toContain('张先生');
  });

  it("gives the missed call to the customer's own consultant, starts the clock at opening out of hours, and fills the call log", async () => {
    await run('bob', `log call 张先生 ${CALLER} 问户型`);
    clock.set('2026-12-07T20:00:00+08:00');
    await event({ event: 'newCall', ...inbound('c2', { user: ['Alice Wang'] }) });
    await event({ event: 'hangup', ...inbound('c2', { cause: 'noAnswer' }) }, 30);
    await eventually(() => dmsTo('bob').length > 0, "bob's DM");
    expect(textOf(dmsTo('bob')[0]!.message)).toContain('logged #1002 (missed call) for your customer 张先生 138****5678; first response due 2026-12-08 09:15.');
    expect(dmsTo('alice')).toEqual([]);
    const exported = await run('carol', 'export calls today');
    const csv = exported.file!.content.toString('utf8');
    expect(csv).toContain('1002,2026-12-07 20:00,missed call,张先生,138****5678,bob,~pbx');
  });

  it('folds the same number missed again into one contact and one clock, with one short update', async () => {
    await run('dave', 'team lang zh-CN');
    for (const [n, after] of [
      [1, 0],
      [2, 120],
      [3, 120],
    ] as const) {
      await event({ event: 'newCall', ...inbound(`c${n}`, { user: ['Alice Wang'] }) }, after);
      await event({ event: 'hangup', ...inbound(`c${n}`, { cause: 'cancel' }) }, 10);
    }
    await eventually(() => dmsTo('alice').length >= 2, 'the update');
    const all = await contacts();
    expect(all).toHaveLength(1);
    expect(all[0]!.note).toBe('未接 3 次：10:00、10:02、10:04');
    expect(all[0]!.first_response_due_at!.toISOString()).toBe('2026-12-07T02:15:00.000Z');
    await new Promise((r) => setTimeout(r, 100));
    expect(sentLines(intake.sent).slice(1)).toEqual(['@alice: #1001 来电客户 138****5678 又打来了，仍未接通（未接 2 次）。首次响应时限不变：2026-12-07 10:15。\n[已回复:reply 1001]']);
    const shown = await say('alice', 'show 1001');
    expect(shown).toContain('再次未接：未接 2 次：10:00、10:02');
    expect(shown).toContain('再次未接：未接 3 次：10:00、10:02、10:04');
    const nags = await team.tdb.db.selectFrom('nags').selectAll().execute();
    expect(nags.filter((n) => n.clock === 'response')).toHaveLength(3);
  });

  it('logs an answered call for the member who answered, met at the answer, a new number becoming their customer', async () => {
    await event({ event: 'newCall', ...inbound('c4', { user: ['Alice Wang', 'bob'] }) });
    await event({ event: 'answer', ...inbound('c4', { answeringNumber: '8002' }) }, 8);
    await event({ event: 'hangup', ...inbound('c4', { cause: 'normalClearing', answeringNumber: '8002' }) }, 125);
    const [c] = await contacts();
    expect(c).toMatchObject({ channel: 'call', owner_user_id: 'bob', logged_by: 'bob', status: 'responded', first_response_due_at: null });
    expect(c!.first_responded_at!.toISOString()).toBe('2026-12-07T02:00:08.000Z');
    expect(await team.tdb.db.selectFrom('customers').select(['phone', 'owner_user_id']).execute()).toEqual([{ phone: '+8613812345678', owner_user_id: 'bob' }]);
    // bob answered his own new customer: nobody else to tell.
    expect(intake.sent).toEqual([]);
    const exported = await run('dave', 'export calls today');
    expect(exported.file!.content.toString('utf8')).toContain('1001,2026-12-07 10:00,call,Caller,13812345678,bob,bob,2026-12-07 10:00');
  });

  it("tells the owner when someone else answers their customer's call, as a typed log would", async () => {
    await run('alice', `log wechat 王女士 ${CALLER} 问价`);
    await event({ event: 'answer', ...inbound('c5', { answeringNumber: '8002' }) });
    await event({ event: 'hangup', ...inbound('c5', { cause: 'normalClearing' }) }, 60);
    await eventually(() => dmsTo('alice').length > 0, "alice's DM");
    expect(textOf(dmsTo('alice')[0]!.message)).toContain('<@bob> logged #1002 (call) for your customer 王女士 138****5678');
    expect((await contacts())[1]).toMatchObject({ channel: 'call', owner_user_id: 'alice', logged_by: 'bob' });
  });

  it('closes the clock when the call-back is answered, by the member who called, with how long they spoke', async () => {
    await run('dave', 'team lang zh-CN');
    await event({ event: 'newCall', ...inbound('m1', { user: ['Alice Wang'] }) });
    await event({ event: 'hangup', ...inbound('m1', { cause: 'busy' }) }, 10);
    const out = { from: '8002', to: CALLER, direction: 'out', callId: 'o1' };
    await event({ event: 'newCall', ...out, user: ['bob'] }, 300);
    await event({ event: 'answer', ...out }, 15);
    await event({ event: 'hangup', ...out, cause: 'normalClearing' }, 125);
    const [c] = await contacts();
    expect(c).toMatchObject({ status: 'responded' });
    expect(c!.first_responded_at!.toISOString()).toBe('2026-12-07T02:05:25.000Z');
    const events = await contactRepository.events(team.tdb.db, 1001);
    expect(events.map((e) => [e.kind, e.actorUserId, e.after?.note])).toEqual([
      ['logged', '~pbx', '未接 1 次：10:00'],
      ['replied', 'bob', '已回电'],
      ['noted', 'bob', '已回电（通话 2 分 05 秒）'],
    ]);
    const pending = await team.tdb.db.selectFrom('nags').select(['clock', 'status']).where('clock', '=', 'response').execute();
    expect(pending.every((n) => n.status === 'cancelled')).toBe(true);
  });

  it('records a call-back nobody picked up as an attempt, shown to the supervisors and in show; the clock keeps running', async () => {
    await event({ event: 'newCall', ...inbound('m2', { user: ['Alice Wang'] }) });
    await event({ event: 'hangup', ...inbound('m2', { cause: 'cancel' }) }, 10);
    const out = { from: '8002', to: `+86 ${CALLER}`, direction: 'out', callId: 'o2' };
    await event({ event: 'newCall', ...out }, 240);
    await event({ event: 'hangup', ...out, cause: 'noAnswer' }, 30);
    await eventually(() => dmsTo('carol').length > 0, "the supervisor's DM");
    expect(textOf(dmsTo('carol')[0]!.message)).toContain(
      '📞 <@bob> called #1001 (Caller 138****5678) back, not answered (2026-12-07 10:04); the clock keeps running: first response due 2026-12-07 10:15.',
    );
    expect((await contacts())[0]).toMatchObject({ status: 'open', first_responded_at: null });
    expect(await say('alice', 'show 1001')).toContain('2026-12-07 10:04 <@bob> call-back not answered');
  });

  it('puts an anonymous call in the call log as missed, with no clock and no DM', async () => {
    await event({ event: 'newCall', from: 'anonymous', to: HOTLINE, direction: 'in', callId: 'a1', user: ['Alice Wang'] });
    await event({ event: 'hangup', from: 'anonymous', to: HOTLINE, direction: 'in', callId: 'a1', cause: 'cancel' }, 5);
    const [c] = await contacts();
    expect(c).toMatchObject({ channel: 'missed', status: 'closed', first_response_due_at: null, resolution_due_at: null, owner_user_id: 'alice', note: 'anonymous call, no number to call back' });
    expect(await team.tdb.db.selectFrom('nags').selectAll().execute()).toEqual([]);
    await new Promise((r) => setTimeout(r, 50));
    expect(intake.sent).toEqual([]);
    expect(await say('alice', 'mine')).not.toContain('#1001');
  });

  it('makes one contact of events that come twice, late or out of order, concluding what they say together', async () => {
    // The hangup first, then its newCall; each twice.
    await event({ event: 'hangup', ...inbound('x1', { cause: 'cancel' }) });
    await event({ event: 'hangup', ...inbound('x1', { cause: 'cancel' }) }, 1);
    await event({ event: 'newCall', ...inbound('x1', { user: ['Alice Wang'] }) }, 1);
    await event({ event: 'newCall', ...inbound('x1', { user: ['Alice Wang'] }) }, 1);
    // An answer without its newCall, as JSON and as multipart.
    await event({ event: 'answer', from: '13900001111', to: HOTLINE, direction: 'in', callId: 'x2', answeringNumber: '8002' }, 60, 'json');
    await event({ event: 'answer', from: '13900001111', to: HOTLINE, direction: 'in', callId: 'x2', answeringNumber: '8002' }, 1, 'multipart');
    await event({ event: 'hangup', from: '13900001111', to: HOTLINE, direction: 'in', callId: 'x2', cause: 'normalClearing' }, 30, 'json');
    const all = await contacts();
    expect(all.map((c) => [c.id, c.channel, c.owner_user_id])).toEqual([
      [1001, 'missed', 'alice'],
      [1002, 'call', 'bob'],
    ]);
    // The missed call came in when its first event did.
    expect(all[0]!.received_at.toISOString()).toBe('2026-12-07T02:00:00.000Z');
    await new Promise((r) => setTimeout(r, 50));
    expect(dmsTo('alice')).toHaveLength(1);
  });

  it('meets the clock when an answer arrives after the hangup: the call was answered after all', async () => {
    await event({ event: 'newCall', ...inbound('l1') });
    await event({ event: 'hangup', ...inbound('l1', { cause: 'normalClearing' }) }, 40);
    await event({ event: 'answer', ...inbound('l1', { answeringNumber: '8002' }) }, 2);
    const all = await contacts();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ channel: 'missed', status: 'responded' });
    // Answered no later than it ended.
    expect(all[0]!.first_responded_at!.toISOString()).toBe('2026-12-07T02:00:40.000Z');
  });

  it('gives a missed call nobody can be found for to the supervisors at once, with the assign menu; assigning it gives the customer too', async () => {
    await event({ event: 'newCall', ...inbound('n1') });
    await event({ event: 'hangup', ...inbound('n1', { cause: 'cancel' }) }, 10);
    await eventually(() => dmsTo('carol').length > 0, "the supervisor's DM");
    const dm = dmsTo('carol')[0]!;
    expect(textOf(dm.message)).toContain('📞 Missed call #1001 (Caller 138****5678) has nobody yet: hand it to a colleague to call back. First response due 2026-12-07 10:15.');
    expect(dm.message.blocks.flatMap((b) => (b.kind === 'buttons' ? (b.pickers ?? []).map((p) => p.command) : []))).toEqual(['assign 1001']);
    expect((await contacts())[0]).toMatchObject({ owner_user_id: '~nobody' });
    expect(await say('carol', 'show 1001')).toContain('Owner: —');
    expect(await say('carol', 'assign 1001 @alice')).toContain('#1001');
    expect(await team.tdb.db.selectFrom('customers').select('owner_user_id').executeTakeFirstOrThrow()).toEqual({ owner_user_id: 'alice' });
  });

  it("gives a missed call the front desk's next consultant on a day it runs", async () => {
    await run('bob', 'checkin');
    await run('alice', 'checkin');
    await event({ event: 'newCall', ...inbound('r1') });
    await event({ event: 'hangup', ...inbound('r1', { cause: 'cancel' }) }, 10);
    expect((await contacts())[0]).toMatchObject({ owner_user_id: 'bob' });
  });

  it("treats a call from a member's own number as no customer's", async () => {
    await run('dave', 'team phone @alice 13900002222');
    await event({ event: 'newCall', from: '13900002222', to: HOTLINE, direction: 'in', callId: 'i1' });
    await event({ event: 'hangup', from: '13900002222', to: HOTLINE, direction: 'in', callId: 'i1', cause: 'cancel' }, 5);
    expect(await contacts()).toEqual([]);
  });
});
