import { describe, expect, it } from 'vitest';
import { conversationRepository } from '../../db/repositories/conversations';
import { createLogForm, FORM_EXPIRES_MS, type FormAnswer } from '../../src/chat/conversation/log-form';
import { textOf } from '../helpers/messages';
import { databaseKinds } from '../helpers/db';
import { teamFixture, TEAM_CHANNEL } from '../helpers/team';

const said = (answer: FormAnswer) =>
  answer.kind === 'reply' ? [...answer.messages.map(textOf), ...(answer.outcome?.reply ? [textOf(answer.outcome.reply)] : []), answer.prompt ?? ''].join('\n') : answer.kind;

describe.each(databaseKinds())('the guided log form on $name', (kind) => {
  const team = teamFixture(kind, { start: '2026-11-24T10:00:00+08:00', members: { alice: 'specialist', bob: 'specialist' } });
  const asAlice = { userId: 'alice', channelId: null, text: '' };
  const form = () => createLogForm({ db: team.tdb.db, service: team.service, clock: team.clock, platform: 'slack' });

  it('asks one field at a time, re-asks one that fails its check, and logs the contact at the end', async () => {
    const f = form();
    const first = await f.start(asAlice, { lang: 'en' });
    expect(first.prompt).toMatch(/^Channel/);
    expect(said(await f.answer(asAlice, 'sms'))).toContain('Unknown channel "sms"');
    expect(said(await f.answer(asAlice, '微信'))).toMatch(/Customer name/);
    expect(said(await f.answer(asAlice, '郑女士'))).toMatch(/Phone/);
    expect(said(await f.answer(asAlice, '12345'))).toContain('"12345" is not a valid phone number');
    expect(said(await f.answer(asAlice, '13911112222'))).toMatch(/Received at/);
    expect(said(await f.answer(asAlice, '-'))).toMatch(/Note/);
    const done = await f.answer(asAlice, '看户型图');
    expect(said(done)).toContain('Logged #1001');
    expect(said(done)).toContain('139****2222');
    // Over: the next line is not an answer.
    expect(await f.answer(asAlice, 'mine')).toEqual({ kind: 'none' });
  });

  it('skips the complaint questions for other channels and asks them for a complaint', async () => {
    const f = form();
    await f.start(asAlice, { lang: 'en', channel: 'complaint' });
    for (const answer of ['钱先生', '-', '-', '漏水']) await f.answer(asAlice, answer);
    expect(await f.prompt('alice')).toMatch(/Complaint level/);
    await f.answer(asAlice, '重大');
    expect(said(await f.answer(asAlice, '质量'))).toContain('Logged #1001');
  });

  it('ends on /cancel or 取消, logging nothing', async () => {
    const f = form();
    await f.start(asAlice, { lang: 'zh-CN' });
    await f.answer(asAlice, 'wechat');
    expect(said(await f.answer(asAlice, '取消'))).toContain('已取消登记');
    expect(await f.prompt('alice')).toBeNull();
    expect(textOf((await team.run('alice', 'mine')).reply)).toContain('no open customer contacts');
  });

  it('ends by itself after 30 minutes without an answer, and says so once', async () => {
    const f = form();
    await f.start(asAlice, { lang: 'en' });
    await f.answer(asAlice, 'wechat');
    team.clock.advance({ milliseconds: FORM_EXPIRES_MS - 1000 });
    expect(await f.prompt('alice')).toMatch(/Customer name/);
    team.clock.advance({ seconds: 2 });
    expect(await f.prompt('alice')).toBeNull();
    const late = await f.answer(asAlice, '钱先生');
    expect(late.kind).toBe('expired');
    expect(await f.answer(asAlice, '钱先生')).toEqual({ kind: 'none' });
  });

  it('keeps each person’s form apart and survives a new form engine (a restart, another replica)', async () => {
    await form().start(asAlice, { lang: 'en' });
    await form().start({ ...asAlice, userId: 'bob' }, { lang: 'en', channel: 'email' });
    expect(said(await form().answer(asAlice, 'wechat'))).toMatch(/Customer name/);
    expect(await form().prompt('bob')).toMatch(/Customer name/);
  });

  it('takes one of two answers handled at once for the same question', async () => {
    await form().start(asAlice, { lang: 'en' });
    const stored = await conversationRepository.find(team.tdb.db, 'slack', 'alice');
    // Two replicas read the same version; only the first write moves the form on.
    const first = await conversationRepository.advance(team.tdb.db, 'slack', 'alice', stored!.version, { a: 1 }, new Date(), new Date(Date.now() + 60_000));
    const second = await conversationRepository.advance(team.tdb.db, 'slack', 'alice', stored!.version, { b: 2 }, new Date(), new Date(Date.now() + 60_000));
    expect([first, second]).toEqual([true, false]);
  });

  it('logs once when the last answer arrives twice', async () => {
    const f = form();
    await f.start({ ...asAlice, channelId: TEAM_CHANNEL }, { lang: 'en', channel: 'email' });
    for (const answer of ['孙先生', '-', '-']) await f.answer(asAlice, answer);
    const stored = await conversationRepository.find(team.tdb.db, 'slack', 'alice');
    await f.answer(asAlice, 'last');
    // The same last answer handled again from the state before it (another replica, a re-push).
    await conversationRepository.start(team.tdb.db, 'slack', 'alice', stored!.kind, stored!.state, new Date(), new Date(Date.now() + 60_000));
    const again = await f.answer(asAlice, 'last');
    expect(said(again)).toContain('Logged #1001');
    expect(textOf((await team.run('alice', 'mine')).reply)).toContain('(1)');
  });
});
