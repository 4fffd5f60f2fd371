import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

// The bot does not ack WeCom callbacks, so tests wait on what the fake records instead.
export { until } from './fake-dingtalk';

/** One message the bot sent up, as WeCom received it. */
export interface WeComSend {
  /** `reply` (aibot_respond_msg), `welcome` (aibot_respond_welcome_msg), `send` (aibot_send_msg), `update` (aibot_respond_update_msg), `app` (self-built app message/send). */
  readonly via: 'reply' | 'welcome' | 'send' | 'update' | 'app';
  /** The frame's req_id (WebSocket only): a reply carries the req_id of the callback it answers. */
  readonly reqId?: string;
  /** `send`: body.chatid (a group's chatid, or a userid for a 1:1 chat) and body.chat_type as given (1 single, 2 group; absent if left out). */
  readonly chatid?: string;
  readonly chatType?: number;
  /** `app`: the one member this record is for (a send to `a|b` gives one record each). */
  readonly to?: string;
  /** `update`: the userids whose card is replaced (none: everyone's). */
  readonly userids?: readonly string[];
  /** markdown, stream, template_card, stream_with_template_card, text, file… */
  readonly msgtype: string;
  /** The markdown/stream/text content; a card's JSON; a media message's media_id. */
  readonly content: string;
  /** The template_card object, when there is one. */
  readonly card?: Record<string, unknown>;
  /** Stream frames only: the stream id and whether this frame ends the stream. */
  readonly streamId?: string;
  readonly finish?: boolean;
  /**
   * The conversation it shows up in, as the WeCom client shows them apart: `bot:<userid>` (the
   * smart bot's 1:1 chat), `app:<userid>` (the self-built app's conversation), `group:<chatid>`.
   */
  readonly conversation: string;
  /** App messages over 2,048 bytes: WeCom shows only the first 2,048 (`content` is what was shown). */
  readonly cut?: boolean;
  /** The whole body, for anything else; when the fake received it (epoch ms, by `opts.now()`: the bot's clock in tests that move it). */
  readonly body: Record<string, unknown>;
  readonly at_ms: number;
}

export interface WeComMessageInput {
  readonly from: string;
  /** The full text as typed; in a group WeCom keeps the bot's @name in it (`@客服助手 log …`). */
  readonly text: string;
  /** A group's chatid; none: the sender's 1:1 chat with the bot. */
  readonly group?: string;
  readonly msgid?: string;
  /** text (default), image, mixed, voice, file, video; put the matching part in `override`. */
  readonly msgtype?: string;
  /** Fields of the body to replace or add. */
  readonly override?: Record<string, unknown>;
}

export interface WeComCardClickInput {
  readonly from: string;
  readonly eventKey: string;
  readonly taskId: string;
  readonly group?: string;
  /**
   * `nested` (default, the official docs WW 101027): body.event.template_card_event.{card_type,event_key,task_id}.
   * `flat`: body.template_card_event beside body.event {eventtype}.
   * `inline`: body.event.{event_key,task_id} (the SDK 1.0.7 TemplateCardEventData type's shape).
   */
  readonly shape?: 'nested' | 'flat' | 'inline';
}

type Frame = { cmd?: string; headers?: { req_id?: string }; body?: Record<string, unknown> };

/** An upload chunk's most bytes before base64 [WW 101463]. */
const UPLOAD_CHUNK = 512 * 1024;
/** The app's text and markdown: WeCom shows this many bytes and cuts the rest. */
const APP_MAX = 2048;
type Conn = { id: number; ws: WebSocket; authed: boolean };

const UP: Record<string, WeComSend['via']> = { aibot_respond_msg: 'reply', aibot_respond_welcome_msg: 'welcome', aibot_send_msg: 'send', aibot_respond_update_msg: 'update' };

/**
 * WeCom on 127.0.0.1 as the bot sees it: the smart-bot WebSocket gateway (`wsUrl`, in place of
 * wss://openws.work.weixin.qq.com) speaking the frames @wecom/aibot-node-sdk 1.0.7 sends and expects
 * (subscribe, ping, callbacks down, replies/sends/card updates up, acks matched by req_id, one live
 * connection per bot), and the self-built app API (`apiUrl`, in place of https://qyapi.weixin.qq.com):
 * gettoken, message/send with WeCom's silent per-member drop, media/upload. It records every send and
 * can be told to misbehave: refuse credentials or connections, drop them, stay silent, refuse sends.
 */
export async function startFakeWeCom(opts: { botId?: string; secret?: string; corpId?: string; appSecret?: string; agentId?: string; now?: () => number } = {}) {
  const botId = opts.botId ?? 'aibFAKEBOT';
  const secret = opts.secret ?? 'FAKEBOTSECRET';
  const corpId = opts.corpId ?? 'wwFAKECORP';
  const appSecret = opts.appSecret ?? 'FAKEAPPSECRET';
  const agentId = opts.agentId ?? '1000002';
  const now = opts.now ?? Date.now;
  const sends: WeComSend[] = [];
  /** Not delivered: sends answered with an error ack (failNext, a text aibot_send_msg); sends never acked (silentAcks); app messages over the per-member cap (answered errcode 0). */
  const refused: Array<WeComSend & { errcode: number; errmsg: string }> = [];
  const unacked: WeComSend[] = [];
  const appDropped: WeComSend[] = [];
  const uploads: Array<{ via: 'app' | 'ws'; name: string; bytes: Buffer; type: string; mediaId: string }> = [];
  /** Every frame the bot sent up, pings included. */
  const upFrames: Array<{ socket: number; cmd: string; reqId: string; at: number }> = [];
  /** Connections opened, authenticated (or refused), kicked and closed, in order, with when (epoch ms). */
  const timeline: Array<{ event: 'open' | 'auth' | 'authfail' | 'kick' | 'close'; socket: number; at: number }> = [];
  const conns = new Map<WebSocket, Conn>();
  const rawSockets = new Set<Socket>();
  const tokens = new Map<string, 'valid' | 'expired'>();
  const appHistory = new Map<string, number[]>();
  const blockedUntil = new Map<string, number>();
  const chunked = new Map<string, { type: string; filename: string; totalSize: number; totalChunks: number; md5: string; parts: Buffer[] }>();
  /** Media ids handed out by an upload (over the connection or the app), for the messages that use them. */
  const mediaIds = new Set<string>();
  /** People who have written to the smart bot (a message or an event from them, anywhere): it may write first only to them. */
  const wrote = new Set<string>();
  /** Where each callback came from, by req_id: where a reply to it shows up. */
  const origins = new Map<string, string>();
  let socketSerial = 0;
  let maxLive = 0;
  let serial = 0;
  const counts = { opens: 0, auths: 0, authFailures: 0, refusedConnections: 0, pings: 0, tokens: 0 };
  const behaviour = {
    /** aibot_subscribe: accept good credentials, or refuse every one. */
    auth: 'ok' as 'ok' | 'refuse',
    /** The WebSocket upgrade: accept, or refuse (HTTP 503) as an unreachable gateway. */
    connections: 'ok' as 'ok' | 'refuse',
    /** Answer `ping` frames (the SDK gives up after 2 unanswered pings, at the 3rd interval). */
    pong: true,
    /** The next replies/sends/updates acked with this errcode (e.g. 45009 'api freq out of limit'). */
    failNext: [] as Array<{ errcode: number; errmsg: string }>,
    /** That many next replies/sends/updates get no ack at all (the SDK rejects after 5 s). */
    silentAcks: 0,
    /** App message/send: per member, messages over these caps are answered errcode 0 and dropped; null: no cap. */
    appDropOver: { perMinute: 30, perHour: 1000 } as { perMinute: number; perHour: number } | null,
    /** The next app API calls (after the token check) answered with this body. */
    appFailNext: [] as Array<{ errcode: number; errmsg: string }>,
    /** Members the app does not know: listed in `invaliduser`, not delivered. */
    unknownUsers: new Set<string>(),
    /**
     * A smart-bot message to someone who never wrote to it is refused, as WeCom does [WW 101463];
     * the code is not documented, this one is the fake's own.
     */
    refuseStrangers: { errcode: 93006, errmsg: 'the bot may not start a conversation with this user' } as { errcode: number; errmsg: string } | null,
  };

  const id = (prefix: string) => `${prefix}${++serial}${randomBytes(4).toString('hex')}`;
  const live = () => [...conns.values()].filter((c) => c.authed && c.ws.readyState === 1);
  const sendFrame = (c: Conn, frame: unknown) => c.ws.readyState === 1 && c.ws.send(JSON.stringify(frame));

  /** What a body carries, as a record (the caller adds via and the rest). */
  function contentOf(b: Record<string, unknown>) {
    const msgtype = String(b.msgtype ?? (b.response_type ? 'template_card' : ''));
    const card = b.template_card as Record<string, unknown> | undefined;
    const stream = b.stream as { id?: string; content?: string; finish?: boolean } | undefined;
    const part = b[msgtype] as { content?: string; media_id?: string } | undefined;
    const content = stream ? String(stream.content ?? '') : msgtype === 'template_card' ? JSON.stringify(card ?? {}) : String(part?.content ?? part?.media_id ?? '');
    return { msgtype, content, ...(card ? { card } : {}), ...(stream ? { streamId: stream.id, finish: stream.finish === true } : {}), body: b, at_ms: now() };
  }

  /** Tells a connection another one took over, then closes it, as WeCom does. */
  function kickConn(c: Conn) {
    c.authed = false;
    timeline.push({ event: 'kick', socket: c.id, at: Date.now() });
    sendFrame(c, {
      cmd: 'aibot_event_callback',
      headers: { req_id: id('REQ-EVT-') },
      body: { msgid: id('MSG'), create_time: Math.floor(Date.now() / 1000), aibotid: botId, msgtype: 'event', event: { eventtype: 'disconnected_event' } },
    });
    c.ws.close(1000, 'new connection established');
  }

  function onFrame(c: Conn, f: Frame) {
    const reqId = f.headers?.req_id ?? '';
    const cmd = f.cmd ?? '';
    const b = f.body ?? {};
    upFrames.push({ socket: c.id, cmd, reqId, at: Date.now() });
    const ack = (errcode = 0, errmsg = 'ok', body?: unknown) => sendFrame(c, { headers: { req_id: reqId }, errcode, errmsg, ...(body ? { body } : {}) });
    if (cmd === 'aibot_subscribe') {
      if (behaviour.auth !== 'ok' || b.bot_id !== botId || b.secret !== secret) {
        counts.authFailures++;
        timeline.push({ event: 'authfail', socket: c.id, at: Date.now() });
        return ack(40001, 'invalid bot_id or secret'); // the SDK terminates the socket itself and retries
      }
      counts.auths++;
      c.authed = true;
      timeline.push({ event: 'auth', socket: c.id, at: Date.now() });
      const authed = live();
      maxLive = Math.max(maxLive, authed.length); // counted before the older ones are kicked
      ack();
      for (const old of authed) if (old !== c) kickConn(old);
      return;
    }
    // Not subscribed (never, or kicked): the errcode is the fake's own, the real one is not documented.
    if (!c.authed) return ack(40001, 'not subscribed');
    if (cmd === 'ping') {
      counts.pings++;
      if (behaviour.pong) ack();
      return;
    }
    // Uploads as WW 101463 describes them: init (type, filename, total_size, total_chunks, md5),
    // chunks of at most 512 KB before base64 numbered from 0, finish checks the whole.
    if (cmd === 'aibot_upload_media_init') {
      const type = String(b.type ?? '');
      const totalSize = Number(b.total_size);
      const totalChunks = Number(b.total_chunks);
      if (!['file', 'image', 'voice', 'video'].includes(type)) return ack(40004, 'invalid media type');
      if (typeof b.filename !== 'string' || b.filename === '') return ack(40002, 'filename missing');
      if (!Number.isInteger(totalSize) || totalSize <= 5) return ack(40006, 'invalid file size (more than 5 bytes)');
      if (!Number.isInteger(totalChunks) || totalChunks < 1 || totalChunks > 100 || totalChunks !== Math.ceil(totalSize / UPLOAD_CHUNK)) return ack(40002, 'invalid total_chunks');
      if (!/^[0-9a-f]{32}$/i.test(String(b.md5 ?? ''))) return ack(40002, 'invalid md5');
      const uploadId = id('UPLOAD');
      chunked.set(uploadId, { type, filename: b.filename, totalSize, totalChunks, md5: String(b.md5).toLowerCase(), parts: [] });
      return ack(0, 'ok', { upload_id: uploadId });
    }
    if (cmd === 'aibot_upload_media_chunk' || cmd === 'aibot_upload_media_finish') {
      const up = chunked.get(String(b.upload_id ?? ''));
      if (!up) return ack(40004, 'invalid upload_id');
      if (cmd === 'aibot_upload_media_chunk') {
        const index = Number(b.chunk_index);
        const bytes = Buffer.from(String(b.base64_data ?? ''), 'base64');
        if (!Number.isInteger(index) || index < 0 || index >= up.totalChunks) return ack(40002, 'invalid chunk_index');
        if (bytes.length === 0 || bytes.length > UPLOAD_CHUNK) return ack(40006, 'invalid chunk size');
        up.parts[index] = bytes;
        return ack();
      }
      const whole = Buffer.concat(up.parts.filter(Boolean));
      if (up.parts.filter(Boolean).length !== up.totalChunks || whole.length !== up.totalSize) return ack(40002, 'chunks missing');
      if (createHash('md5').update(whole).digest('hex') !== up.md5) return ack(40002, 'md5 mismatch');
      chunked.delete(String(b.upload_id));
      const mediaId = id('MEDIA');
      mediaIds.add(mediaId);
      uploads.push({ via: 'ws', name: up.filename, bytes: whole, type: up.type, mediaId });
      return ack(0, 'ok', { type: up.type, media_id: mediaId, created_at: String(Math.floor(Date.now() / 1000)) });
    }
    const via = UP[cmd];
    if (!via) return ack(40008, `unknown cmd ${cmd}`);
    const chatid = String(b.chatid ?? '');
    const toGroup = b.chat_type === 2 || (b.chat_type === undefined && chatid.startsWith('wr'));
    const rec: WeComSend = {
      via,
      reqId,
      ...(via === 'send' ? { chatid, ...(b.chat_type !== undefined ? { chatType: Number(b.chat_type) } : {}) } : {}),
      ...(via === 'update' && Array.isArray(b.userids) ? { userids: b.userids as string[] } : {}),
      conversation: via === 'send' ? (toGroup ? `group:${chatid}` : `bot:${chatid}`) : (origins.get(reqId) ?? `unknown:${reqId}`),
      ...contentOf(b),
    };
    const media = (b[rec.msgtype] as { media_id?: unknown } | undefined)?.media_id;
    const refusal =
      // As the platform does [3P]: a proactive send takes markdown, template_card or media, not text.
      via === 'send' && rec.msgtype === 'text'
        ? { errcode: 40008, errmsg: 'invalid message type' }
        : ['file', 'image', 'voice', 'video'].includes(rec.msgtype) && !mediaIds.has(String(media ?? ''))
          ? { errcode: 40007, errmsg: 'invalid media_id' }
          : via === 'send' && !toGroup && !wrote.has(chatid.toLowerCase()) && behaviour.refuseStrangers
            ? behaviour.refuseStrangers
            : behaviour.failNext.shift();
    if (refusal) {
      refused.push({ ...rec, ...refusal });
      return ack(refusal.errcode, refusal.errmsg);
    }
    if (behaviour.silentAcks > 0) {
      behaviour.silentAcks--;
      unacked.push(rec);
      return;
    }
    sends.push(rec);
    ack();
  }

  // ---- The smart-bot gateway ----
  const wsServer: Server = createServer((_req, res) => res.writeHead(426).end());
  const wss = new WebSocketServer({ noServer: true });
  const track = (socket: Socket) => (rawSockets.add(socket), socket.on('close', () => rawSockets.delete(socket)));
  wsServer.on('connection', track);
  wsServer.on('upgrade', (req, socket, head) => {
    if (behaviour.connections === 'refuse') {
      counts.refusedConnections++;
      socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      counts.opens++;
      const c: Conn = { id: ++socketSerial, ws, authed: false };
      conns.set(ws, c);
      timeline.push({ event: 'open', socket: c.id, at: Date.now() });
      ws.on('close', () => {
        conns.delete(ws);
        timeline.push({ event: 'close', socket: c.id, at: Date.now() });
      });
      ws.on('message', (raw) => {
        let f: Frame;
        try {
          f = JSON.parse(String(raw)) as Frame;
        } catch {
          return; // not JSON: ignored
        }
        onFrame(c, f);
      });
    });
  });

  // ---- The self-built app API ----
  // A body that is not JSON (or not multipart) gets WeCom's 47001.
  const apiServer: Server = createServer((req, res) => void route(req, res).catch(() => json(res, { errcode: 47001, errmsg: 'data format error' })));
  apiServer.on('connection', track);
  const listen = (s: Server) => new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));
  const wsUrl = `ws://127.0.0.1:${await listen(wsServer)}`;
  const apiUrl = `http://127.0.0.1:${await listen(apiServer)}`;

  async function body(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
  const json = (res: ServerResponse, payload: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' }); // WeCom answers errors with 200 and an errcode
    res.end(JSON.stringify(payload));
  };

  /** Whether WeCom silently drops this member's message: over 30/min or 1,000/h, then blocked 60 s / 60 min. */
  function overCap(user: string): boolean {
    const t = now();
    const cap = behaviour.appDropOver;
    const recent = (appHistory.get(user) ?? []).filter((x) => t - x < 3_600_000);
    appHistory.set(user, recent);
    if (!cap) return (recent.push(t), false);
    if (t < (blockedUntil.get(user) ?? 0)) return true;
    if (recent.filter((x) => t - x < 60_000).length >= cap.perMinute) return (blockedUntil.set(user, t + 60_000), true);
    if (recent.length >= cap.perHour) return (blockedUntil.set(user, t + 3_600_000), true);
    return (recent.push(t), false);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '', apiUrl);
    const raw = await body(req);
    const q = (k: string) => url.searchParams.get(k) ?? '';
    if (url.pathname === '/cgi-bin/gettoken') {
      counts.tokens++;
      if (q('corpid') !== corpId) return json(res, { errcode: 40013, errmsg: 'invalid corpid' });
      if (q('corpsecret') !== appSecret) return json(res, { errcode: 40001, errmsg: 'invalid credential' });
      const token = id('TOKEN');
      tokens.set(token, 'valid');
      return json(res, { errcode: 0, errmsg: 'ok', access_token: token, expires_in: 7200 });
    }
    const state = tokens.get(q('access_token'));
    if (state === 'expired') return json(res, { errcode: 42001, errmsg: 'access_token expired' });
    if (state !== 'valid') return json(res, { errcode: 40014, errmsg: 'invalid access_token' });
    const failure = behaviour.appFailNext.shift();
    if (failure) return json(res, failure);
    if (url.pathname === '/cgi-bin/media/upload') {
      const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData();
      const media = form.get('media');
      if (!(media instanceof Blob)) return json(res, { errcode: 41001, errmsg: 'media data missing' });
      const mediaId = id('MEDIA');
      mediaIds.add(mediaId);
      uploads.push({ via: 'app', name: (media as File).name, bytes: Buffer.from(await media.arrayBuffer()), type: q('type'), mediaId });
      return json(res, { errcode: 0, errmsg: 'ok', type: q('type'), media_id: mediaId, created_at: String(Math.floor(Date.now() / 1000)) });
    }
    if (url.pathname === '/cgi-bin/message/send') {
      const b = JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>;
      if (String(b.agentid) !== agentId) return json(res, { errcode: 40056, errmsg: 'invalid agentid' });
      const shape = contentOf(b);
      if (!b[shape.msgtype]) return json(res, { errcode: 44004, errmsg: 'empty content' });
      const users = String(b.touser ?? '')
        .split('|')
        .filter(Boolean);
      const invalid = users.filter((u) => behaviour.unknownUsers.has(u));
      if (users.length === 0 || invalid.length === users.length) return json(res, { errcode: 81013, errmsg: 'user & party & tag all invalid', invaliduser: invalid.join('|') });
      const media = (b[shape.msgtype] as { media_id?: unknown } | undefined)?.media_id;
      if (['file', 'image', 'voice', 'video'].includes(shape.msgtype) && !mediaIds.has(String(media ?? ''))) return json(res, { errcode: 40007, errmsg: 'invalid media_id' });
      // The app's text and markdown show at most 2,048 bytes; the rest is cut off without a word.
      const bytes = Buffer.from(shape.content, 'utf8');
      const shown = ['markdown', 'text'].includes(shape.msgtype) && bytes.length > APP_MAX ? { content: new TextDecoder().decode(bytes.subarray(0, APP_MAX)).replace(/\uFFFD+$/, ''), cut: true } : {};
      for (const to of users.filter((u) => !invalid.includes(u))) (overCap(to) ? appDropped : sends).push({ via: 'app', to, ...shape, ...shown, conversation: `app:${to}`, at_ms: now() });
      return json(res, { errcode: 0, errmsg: 'ok', invaliduser: invalid.join('|'), msgid: id('APPMSG') });
    }
    json(res, { errcode: 404, errmsg: `no such api ${url.pathname}` });
  }

  /** The connection a push goes to: the newest authenticated one (WeCom keeps only one). */
  const target = () => {
    const c = live().at(-1);
    if (!c) throw new Error('no authenticated WeCom connection to push to');
    return c;
  };
  const origin = (from: string, group?: string) => ({ aibotid: botId, ...(group ? { chatid: group } : {}), chattype: group ? 'group' : 'single', from: { userid: from } });

  /** Pushes any event callback (enter_chat, feedback_event…) to the live connection; `extra` is merged into the body. */
  function pushEvent(from: string, event: Record<string, unknown> & { eventtype: string }, group?: string, extra: Record<string, unknown> = {}): { reqId: string; msgid: string } {
    const c = target();
    const reqId = id('REQ-EVT-');
    const msgid = id('MSG');
    wrote.add(from.toLowerCase());
    origins.set(reqId, group ? `group:${group}` : `bot:${from.toLowerCase()}`);
    sendFrame(c, { cmd: 'aibot_event_callback', headers: { req_id: reqId }, body: { msgid, create_time: Math.floor(Date.now() / 1000), ...origin(from, group), msgtype: 'event', event, ...extra } });
    return { reqId, msgid };
  }

  return {
    wsUrl,
    apiUrl,
    botId,
    secret,
    corpId,
    appSecret,
    agentId,
    behaviour,
    sends,
    refused,
    unacked,
    appDropped,
    uploads,
    upFrames,
    timeline,
    counts: () => ({ ...counts, live: live().length }),
    /** Authenticated, open connections now. */
    liveConnections: () => live().length,
    /** The most authenticated connections ever open at once (counted as each authenticates, before the kick). */
    get maxLive(): number {
      return maxLive;
    },
    /** Whether `user` has written to the smart bot (it may write first to them). */
    hasWritten: (user: string) => wrote.has(user.toLowerCase()),
    /** Marks every app token handed out as expired (42001). */
    expireTokens: () => tokens.forEach((_v, k) => tokens.set(k, 'expired')),

    /** Pushes a message callback (aibot_msg_callback) to the live connection. */
    pushMessage(input: WeComMessageInput): { reqId: string; msgid: string } {
      const c = target();
      const reqId = id('REQ-MSG-');
      const msgid = input.msgid ?? id('MSG');
      const msgtype = input.msgtype ?? 'text';
      wrote.add(input.from.toLowerCase());
      origins.set(reqId, input.group ? `group:${input.group}` : `bot:${input.from.toLowerCase()}`);
      const payload = {
        msgid,
        ...origin(input.from, input.group),
        create_time: Math.floor(Date.now() / 1000),
        msgtype,
        ...(msgtype === 'text' ? { text: { content: input.text } } : {}),
        ...input.override,
      };
      sendFrame(c, { cmd: 'aibot_msg_callback', headers: { req_id: reqId }, body: payload });
      return { reqId, msgid };
    },
    pushEvent,
    /** Pushes a button click on a button_interaction card; answer it with aibot_respond_update_msg on `reqId` within 5 s. */
    pushCardClick(input: WeComCardClickInput): { reqId: string; msgid: string } {
      const click = { card_type: 'button_interaction', event_key: input.eventKey, task_id: input.taskId };
      const shape = input.shape ?? 'nested';
      if (shape === 'flat') return pushEvent(input.from, { eventtype: 'template_card_event' }, input.group, { template_card_event: click });
      if (shape === 'inline') return pushEvent(input.from, { eventtype: 'template_card_event', ...click }, input.group);
      return pushEvent(input.from, { eventtype: 'template_card_event', template_card_event: click }, input.group);
    },
    /** Another client took over: disconnected_event to the live connection(s), then closed. */
    kick(): void {
      for (const c of live()) kickConn(c);
    },
    /** Cuts every connection without a word (a network drop). */
    drop(): void {
      for (const ws of conns.keys()) ws.terminate();
    },
    /** Refuses (503) or accepts new connections. */
    refuseConnections(on: boolean): void {
      behaviour.connections = on ? 'refuse' : 'ok';
    },
    /** Everything delivered since the last call (or since the start). */
    take(): WeComSend[] {
      return sends.splice(0);
    },
    async stop(): Promise<void> {
      for (const ws of conns.keys()) ws.terminate();
      for (const s of rawSockets) s.destroy();
      wss.close();
      await Promise.all([wsServer, apiServer].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}

export type FakeWeCom = Awaited<ReturnType<typeof startFakeWeCom>>;

/** The environment that points the bot at a fake: the smart bot, and with `app` the self-built app too. */
export function weComEnv(fake: FakeWeCom, opts: { app?: boolean } = {}): Record<string, string> {
  const bot = { WECOM_BOT_ID: fake.botId, WECOM_BOT_SECRET: fake.secret, WECOM_WS_URL: fake.wsUrl };
  if (!opts.app) return bot;
  return { ...bot, WECOM_CORP_ID: fake.corpId, WECOM_APP_SECRET: fake.appSecret, WECOM_AGENT_ID: fake.agentId, WECOM_API_URL: fake.apiUrl };
}
