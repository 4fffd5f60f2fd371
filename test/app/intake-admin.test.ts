import { describe, expect, it } from 'vitest';
import { intakeRepository } from '../../db/repositories/intake';
import { replyForAsker } from '../../src/chat/privacy';
import { databaseKinds } from '../helpers/db';
import { textOf } from '../helpers/messages';
import { teamFixture } from '../helpers/team';

describe.each(databaseKinds())("a team's intake source and phone mapping on %s", (kind) => {
  const team = teamFixture(kind, {
    start: '2026-12-07T10:00:00+08:00',
    members: { alice: 'specialist', bob: 'specialist', carol: 'supervisor', dave: 'manager' },
    service: { intakeBaseUrl: () => 'http://127.0.0.1:8787' },
  });
  const { clock, run, say } = team;
  const teamId = async () => (await team.tdb.db.selectFrom('teams').select('id').executeTakeFirstOrThrow()).id;

  it('turns the intake on privately with two unguessable addresses and a secret shown once, keeping only a hash of the id', async () => {
    const on = await run('dave', 'team intake on');
    const text = textOf(on.reply);
    const cti = /http:\/\/127\.0\.0\.1:8787\/intake\/([A-Za-z0-9_-]{32})\/cti/.exec(text);
    expect(cti).not.toBeNull();
    expect(text).toContain(`http://127.0.0.1:8787/intake/${cti![1]}/events`);
    const secret = /whsec_[A-Za-z0-9+/]{43}=/.exec(text)?.[0];
    expect(secret).toBeDefined();
    expect(Buffer.from(secret!.slice(6), 'base64')).toHaveLength(32);
    expect(on.notices).toEqual([]);
    // Nothing in the reply is masked: the address and the secret stay whole to be copied.
    expect(textOf(replyForAsker(on.reply!))).toContain(secret!);
    const row = await team.tdb.db.selectFrom('intake_sources').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(cti![1]);
    expect(row.id_hash).toMatch(/^[0-9a-f]{64}$/);

    // On again: no new address, no secret.
    const again = await say('dave', 'team intake on');
    expect(again).toContain('already on');
    expect(again).not.toContain('whsec_');

    // The status never shows the secret or the whole id again.
    clock.set('2026-12-07T11:00:00+08:00');
    const status = await say('dave', 'team intake');
    expect(status).toContain('Status: on (since 2026-12-07 10:00, by <@dave>)');
    expect(status).toContain(`http://127.0.0.1:8787/intake/${cti![1]!.slice(0, 4)}…/cti`);
    expect(status).toContain('Signing secret made: 2026-12-07 10:00');
    expect(status).toContain('Last event received: none yet');
    expect(status).toContain('Today: 0 calls (0 missed) · 0 signed events');
    expect(status).not.toContain('whsec_');
    expect(status).not.toContain(cti![1]);
  });

  it('rotates the secret keeping the old one for 24 h, and turns off forgetting both', async () => {
    const first = /whsec_\S+/.exec(await say('dave', 'team intake on'))![0];
    clock.set('2026-12-07T12:00:00+08:00');
    const rotated = await say('dave', 'team intake rotate');
    const second = /whsec_\S+/.exec(rotated)![0];
    expect(second).not.toBe(first);
    expect(rotated).toContain('Old secret valid until: 2026-12-08 12:00');
    const source = (await intakeRepository.source(team.tdb.db, await teamId()))!;
    expect(source).toMatchObject({ on: true, secret: second, previousSecret: first });
    expect(source.previousValidUntil!.toISO()).toBe('2026-12-08T04:00:00.000Z');

    expect(await say('dave', 'team intake off')).toBe('Intake off: both addresses answer 404 from now on.');
    expect(await say('dave', 'team intake off')).toBe('The intake was already off.');
    const off = await team.tdb.db.selectFrom('intake_sources').selectAll().executeTakeFirstOrThrow();
    expect(off).toMatchObject({ id_hash: null, secret: null, previous_secret: null });
    expect(await say('dave', 'team intake rotate')).toContain('The intake is not on');
    expect(await say('dave', 'team intake')).toContain('Status: off');

    const audit = await intakeRepository.auditOf(team.tdb.db, await teamId());
    expect(audit.map((a) => `${a.actor} ${a.action}`)).toEqual(['dave intake.on', 'dave intake.rotate', 'dave intake.off']);
  });

  it('is for managers only', async () => {
    for (const text of ['team intake', 'team intake on', 'team intake rotate', 'team intake off', 'team phone @alice 8001', 'team phone remove 8001']) {
      expect(await say('carol', text)).toContain("Only the team's managers can set up the intake and extensions.");
    }
    expect(await say('alice', 'team phone')).toContain('Only supervisors and managers can see the extensions.');
    expect(await team.tdb.db.selectFrom('intake_sources').selectAll().execute()).toEqual([]);
  });

  it('notes who is which extension, number or PBX user name, moves one to another member and removes it, audited', async () => {
    expect(await say('dave', 'team phone @alice 8001')).toBe('Noted: 8001 is <@alice>.');
    const mobile = await run('dave', 'team phone @alice 138-1234-5678');
    // The manager's own answer shows the staff number whole.
    expect(textOf(replyForAsker(mobile.reply!))).toBe('Noted: 13812345678 is <@alice>.');
    expect(await say('dave', 'team phone @bob "Bob Li"')).toBe('Noted: bob li is <@bob>.');
    expect(await say('dave', 'team phone @bob 8001')).toBe('Noted: 8001 is <@bob> (it was <@alice>).');
    expect(await say('dave', 'team phone @bob 8001')).toBe('8001 was already <@bob>.');
    expect(await say('dave', 'team phone @zed 8002')).toContain('<@zed> is not in team');
    const list = textOf(replyForAsker((await run('carol', 'team phone')).reply!));
    expect(list.split('\n').slice(1)).toEqual(['13812345678 → <@alice>', '8001 → <@bob>', 'bob li → <@bob>']);
    expect(await say('dave', 'team phone remove 8001')).toBe('Removed 8001 (it was <@bob>).');
    expect(await say('dave', 'team phone remove 8001')).toContain('8001 was not noted.');
    const found = await intakeRepository.membersByKeys(team.tdb.db, await teamId(), ['+8613812345678', 'bob li', 'carol', '8001']);
    expect(Object.fromEntries(found)).toEqual({ '+8613812345678': 'alice', 'bob li': 'bob', carol: 'carol' });
    const audit = await intakeRepository.auditOf(team.tdb.db, await teamId());
    expect(audit.map((a) => a.action)).toEqual(['phone.set', 'phone.set', 'phone.set', 'phone.set', 'phone.remove']);
  });
});
