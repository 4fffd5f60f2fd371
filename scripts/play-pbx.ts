// Plays a phone system (PBX) against the bot's intake, to try it without one: a missed call,
// the same number calling again, a call-back that is answered, and — given the events address
// and the secret — a signed contact from "a CRM" and its retry. Run against the sandbox:
//   INTAKE_PORT=8787 npm start            (then, as dave: /cs team intake on, /cs team phone @alice 8001)
//   npm run pbx -- --cti <address …/cti> [--events <address …/events> --secret whsec_…]
import { parseArgs } from 'node:util';
import { Webhook } from 'standardwebhooks';

const { values } = parseArgs({
  options: {
    cti: { type: 'string' },
    events: { type: 'string' },
    secret: { type: 'string' },
    from: { type: 'string', default: '13812345678' },
    hotline: { type: 'string', default: '4008208820' },
    ext: { type: 'string', default: '8001' },
    ring: { type: 'string', default: '3' },
    talk: { type: 'string', default: '5' },
  },
});
if (!values.cti) {
  process.stderr.write('usage: npm run pbx -- --cti <http://…/intake/<id>/cti> [--events <…/events> --secret whsec_…] [--from 13812345678] [--ext 8001] [--ring 3] [--talk 5]\n');
  process.exit(2);
}
const cti = values.cti;
const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));
const run = Date.now().toString(36);

/** One CTI event, form-encoded with user[] as most PBXs send it. */
async function event(fields: Record<string, string>, users: string[] = []): Promise<void> {
  const body = new URLSearchParams(fields);
  for (const user of users) body.append('user[]', user);
  const res = await fetch(cti, { method: 'POST', body });
  process.stdout.write(`  ${fields.event!.padEnd(7)} ${fields.direction} ${fields.callId} → ${res.status} ${await res.text()}\n`);
}

async function call(callId: string, direction: 'in' | 'out', answered: boolean): Promise<void> {
  const [from, to] = direction === 'in' ? [values.from!, values.hotline!] : [values.ext!, values.from!];
  const base = { from, to, direction, callId };
  await event({ event: 'newCall', ...base }, [values.ext!]);
  await sleep(Number(values.ring));
  if (answered) {
    await event({ event: 'answer', ...base, answeringNumber: direction === 'in' ? values.ext! : '' });
    await sleep(Number(values.talk));
  }
  await event({ event: 'hangup', ...base, cause: answered ? 'normalClearing' : 'cancel' });
}

process.stdout.write(`a missed call from ${values.from} ringing ${values.ext}:\n`);
await call(`pbx-${run}-1`, 'in', false);
await sleep(2);
process.stdout.write('the same number again, missed again:\n');
await call(`pbx-${run}-2`, 'in', false);
await sleep(2);
process.stdout.write(`${values.ext} calls back, the customer answers:\n`);
await call(`pbx-${run}-3`, 'out', true);

if (values.events && values.secret) {
  const payload = JSON.stringify({
    type: 'contact.received',
    timestamp: new Date().toISOString(),
    data: { channel: 'wechat', customer: { name: '李女士', phone: '13900001111' }, receivedAt: new Date().toISOString(), text: '在线留言：问三期开盘时间' },
  });
  const id = `msg_${run}`;
  for (const attempt of ['a signed contact from a CRM:', 'the same event again (a retry gets the first answer):']) {
    const now = new Date();
    const res = await fetch(values.events, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': new Webhook(values.secret).sign(id, now, payload),
      },
      body: payload,
    });
    process.stdout.write(`${attempt}\n  contact.received → ${res.status} ${await res.text()}\n`);
  }
}
