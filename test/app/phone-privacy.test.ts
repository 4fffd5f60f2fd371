import { describe, expect, it } from 'vitest';
import { createDigestPoster } from '../../src/app/reports/digest-poster';
import { createNagSweeper } from '../../src/app/reminders/nag-sweeper';
import { maskingGateway, type ChatGateway } from '../../src/chat/gateway';
import type { Outgoing } from '../../src/chat/message';
import { asciiDigits } from '../../src/core/phone-text';
import { databaseKinds } from '../helpers/db';
import { textOf } from '../helpers/messages';
import { capturingLogger } from '../helpers/service';
import { teamFixture } from '../helpers/team';

/** Ways people type a phone number, for a number's digits as dialled in China. */
const MOBILE_SHAPES: Array<(d: string) => string> = [
  (d) => d,
  (d) => `${d.slice(0, 3)} ${d.slice(3, 7)} ${d.slice(7)}`,
  (d) => `${d.slice(0, 3)}-${d.slice(3, 7)}-${d.slice(7)}`,
  (d) => `+86 ${d.slice(0, 3)} ${d.slice(3, 7)} ${d.slice(7)}`,
  (d) => `+86${d}`,
  (d) => `0086${d}`,
  (d) => `86-${d}`,
  (d) => `(+86)${d}`,
  (d) => d.replace(/\d/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)),
  (d) => `${d.slice(0, 3)}.${d.slice(3, 7)}.${d.slice(7)}`,
  (d) => `${d.slice(0, 3)}\u3000${d.slice(3, 7)}\u3000${d.slice(7)}`,
  (d) => `电话${d}转`,
];
const LANDLINE_SHAPES: Array<(d: string) => string> = [
  (d) => `${d.slice(0, 3)}-${d.slice(3)}`,
  (d) => `(${d.slice(0, 3)}) ${d.slice(3, 7)}-${d.slice(7)}`,
  (d) => `（${d.slice(0, 3)}）${d.slice(3)}`,
  (d) => `+86 ${d.slice(1, 3)} ${d.slice(3, 7)} ${d.slice(7)}`,
  (d) => d,
  // A space inside the local part, as people read it out.
  (d) => `${d.slice(0, 3)}-${d.slice(3, 7)} ${d.slice(7)}`,
  (d) => `（+86）${d.slice(1)}`,
];
const SERVICE_SHAPES: Array<(d: string) => string> = [(d) => d, (d) => `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`, (d) => `${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}`];

interface Planted {
  readonly digits: string;
  readonly typed: string;
}

const mobiles = MOBILE_SHAPES.map((shape, i) => ({ digits: `1390000${String(1000 + i)}`, shape }));
const landlines = LANDLINE_SHAPES.map((shape, i) => ({ digits: `0106552${String(3000 + i)}`, shape }));
const services = SERVICE_SHAPES.map((shape, i) => ({ digits: `400820${String(5000 + i)}`, shape }));
/** A resident ID's check character (GB 11643), so the planted IDs are real-looking ones. */
const idCheck = (first17: string) => '10X98765432'[[...first17].reduce((sum, d, i) => sum + Number(d) * [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2][i]!, 0) % 11]!;
/** A card number's Luhn check digit. */
const luhnDigit = (body: string) => {
  const sum = [...body].reverse().reduce((s, c, i) => s + (i % 2 === 0 ? (Number(c) * 2 > 9 ? Number(c) * 2 - 9 : Number(c) * 2) : Number(c)), 0);
  return String((10 - (sum % 10)) % 10);
};
const ids = ['32058219850304071', '51010719921130652'].map((body, i) => ({
  digits: body + idCheck(body),
  shape: i ? (d: string) => `${d.slice(0, 6)} ${d.slice(6, 14)} ${d.slice(14)}` : (d: string) => d,
}));
const cards = ['622848001234567890', '436742001122334'].map((body, i) => ({ digits: body + luhnDigit(body), shape: i ? (d: string) => d.replace(/(\d{4})(?=\d)/g, '$1 ') : (d: string) => d }));
const planted: Planted[] = [...mobiles, ...landlines, ...services, ...ids, ...cards].map(({ digits, shape }) => ({ digits, typed: shape(digits) }));

/** The text with full-width digits folded and separators between digits taken out, so a number reads as its digits. */
const squash = (text: string) =>
  asciiDigits(text)
    .replace(/(?<=\d)[\s\u3000\-–—.()（）+]+(?=\d)/g, '')
    .toUpperCase();
const leaks = (text: string) => planted.filter((p) => squash(text).includes(p.digits.replace(/^0(?=10)/, '')) || squash(text).includes(p.digits));

describe.each(databaseKinds())('no whole phone number reaches anyone but an entitled reader, on $name', (kind) => {
  const team = teamFixture(kind, { start: '2026-11-24T10:00:00+08:00', members: { alice: 'specialist', carol: 'supervisor', dave: 'manager' } });
  const { clock, run } = team;

  it('masks every shape of number in every field, on every path others read: channel posts, DMs to others, masked exports', async () => {
    const read: string[] = [];
    const outbox: ChatGateway = maskingGateway({ send: async (o: Outgoing) => void read.push(textOf(o.message)) });
    const keep = async (userId: string, text: string) => {
      const out = await run(userId, text);
      // The person's own reply is private but still masked unless its view allowed full numbers.
      if (out.reply && !out.reply.revealsPhones) read.push(textOf(out.reply));
      for (const n of out.notices) read.push(textOf(n.message));
      return out;
    };
    let id = 1001;
    for (const p of planted) {
      // The number in the note, the department, the plan, progress notes and the root-cause note.
      await keep('alice', `complaint 客户${id} 重大 质量 墙面开裂，联系 ${p.typed} 找业主`);
      await keep('alice', `confirm ${id} level urgent category 质量 dept 工程部${p.typed}`);
      await keep('alice', `plan ${id} 工程部上门，现场电话 ${p.typed} due 2026-11-24 18:00`);
      await keep('alice', `note ${id} 业主另一个号码 ${p.typed}`);
      id++;
    }
    // A name glued to a number, and a number typed where no phone is expected.
    await keep('alice', `log wechat 孙先生${mobiles[0]!.digits} 问价`);
    await keep('alice', `log wechat 周先生 想了解车位，回电 ${LANDLINE_SHAPES[1]!(landlines[1]!.digits)}`);

    // Reminders: the owner's, the supervisors' alerts, the escalation to the channel and the managers.
    const sweeper = createNagSweeper({ platform: 'slack', db: team.tdb.db, gateway: outbox, clock, logger: capturingLogger().logger });
    for (const at of ['2026-11-24T11:40:00+08:00', '2026-11-24T12:00:00+08:00', '2026-11-24T14:30:00+08:00']) {
      clock.set(at);
      await sweeper.sweep();
    }
    // A low follow-up score asks the supervisors for a root-cause note; then the note itself.
    await keep('alice', `resolve 1001 已修好，业主电话 ${planted[0]!.typed}`);
    await keep('alice', `followup 1001 1 业主不满意，${planted[1]!.typed} 还会再打`);
    await keep('carol', `note 1001 根因：施工队 ${planted[2]!.typed} 返工`);
    // The daily digest in the team channel.
    clock.set('2026-11-24T18:00:30+08:00');
    await createDigestPoster({ platform: 'slack', db: team.tdb.db, gateway: outbox, clock, logger: capturingLogger().logger }).postDue();
    // A supervisor's export is masked, every column of it.
    const exported = await run('carol', 'export today');
    read.push(exported.file!.content.toString('utf8'));

    expect(read.length).toBeGreaterThan(planted.length * 4);
    const leaked = read.flatMap((text) => leaks(text).map((p) => `${p.typed} in: ${text.slice(0, 160)}`));
    expect(leaked).toEqual([]);

    // Not masking everything blindly: the owner and a supervisor asking privately see the numbers.
    const shown = await run('carol', 'show 1001');
    expect(shown.reply?.revealsPhones).toBe(true);
    expect(leaks(textOf(shown.reply)).length).toBeGreaterThan(0);
  });
});
