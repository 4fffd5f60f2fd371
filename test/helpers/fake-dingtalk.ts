import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { installCardRoutes, type ExtraRoute } from './fake-dingtalk-cards';

/** One message the robot sent, as DingTalk received it. */
export interface DingTalkSend {
  /** `dm` (batch send), `group` (group send), `session` (a message's session webhook). */
  readonly via: 'dm' | 'group' | 'session';
  /** The person (dm), the conversation id (group, session). */
  readonly to: string;
  readonly msgKey: string;
  readonly title: string;
  readonly text: string;
  /** People @mentioned (session webhook only). */
  readonly at: readonly string[];
  /** The raw parameters, for file messages. */
  readonly param: Record<string, unknown>;
  /** When the fake answered (epoch ms). */
  readonly at_ms: number;
}

export interface RobotMessageInput {
  readonly from: string;
  readonly nick?: string;
  /** A group's conversation id; none: the sender's 1:1 chat with the robot. */
  readonly group?: string;
  readonly text: string;
  /** Staff ids @mentioned besides the robot (DingTalk takes their @names out of the text). */
  readonly mentions?: readonly string[];
  readonly msgId?: string;
  /** The session webhook's lifetime from now; 0 for one already expired. */
  readonly webhookMs?: number;
  /** Fields of the payload to replace or add (an odd conversationType, another msgtype). */
  readonly override?: Record<string, unknown>;
}

const ROBOT_ID = '$:LWCP_v1:$robot000';

/**
 * DingTalk on 127.0.0.1 as the robot sees it, speaking the documented protocol:
 * the Stream gateway (connections/open, then WebSocket frames to push robot
 * messages and read acks), the token call, the robot's batch and group sends,
 * session webhooks and media upload. It records every send and can be told to
 * misbehave: refuse credentials, refuse or drop connections, stay silent,
 * flow-control or not know people, rate-limit.
 */
export async function startFakeDingTalk(opts: { clientId?: string; clientSecret?: string } = {}) {
  const clientId = opts.clientId ?? 'dingFAKEKEY';
  const clientSecret = opts.clientSecret ?? 'FAKESECRET';
  const sends: DingTalkSend[] = [];
  const acks = new Map<string, Array<Record<string, unknown>>>();
  const pongs: string[] = [];
  /** Files uploaded: `type` as the query parameter (the older docs) and as the form field (the newer). */
  const uploads: Array<{ name: string; bytes: Buffer; type: string; queryType: string; formType: string }> = [];
  const tickets = new Set<string>();
  const sockets = new Set<WebSocket>();
  const rawSockets = new Set<Socket>();
  /** Connections opened and closed, in order, with when (epoch ms). */
  const timeline: Array<{ event: 'open' | 'close'; socket: number; at: number }> = [];
  let socketSerial = 0;
  let opens = 0;
  let handshakes = 0;
  let tokens = 0;
  let tokenSerial = 0;
  let validTokens = new Set<string>();
  /** What the last connections/open asked to be pushed (`{type, topic}`). */
  let subscriptions: Array<{ type?: string; topic?: string }> = [];
  /** Further open API methods (the interactive cards, fake-dingtalk-cards.ts), after the token check. */
  const extraRoutes: ExtraRoute[] = [];
  const behaviour = {
    /** connections/open: answer normally, refuse the credentials (401), fail (500), or never answer. */
    open: 'ok' as 'ok' | 'refuse' | 'fail' | 'hang',
    /** The WebSocket: accept, refuse the upgrade (403), or accept and drop at once. */
    socket: 'ok' as 'ok' | 'refuse' | 'drop',
    /** Answer WebSocket pings (a silent gateway does not). */
    pong: true,
    /** People the batch send flow-controls, for the next `times` sends that include them. */
    flowControlled: new Map<string, number>(),
    /** People DingTalk does not know. */
    invalid: new Set<string>(),
    /** The next sends answered with this HTTP status and body. */
    failNext: [] as Array<{ status: number; body: unknown }>,
    /** Groups the robot is not in (the group send is refused). */
    notInGroup: new Set<string>(),
    /** Whether media upload works. */
    upload: true,
    /** How long each robot send takes to answer (a slow DingTalk). */
    sendDelayMs: 0,
    /** Robot sends and session replies go unanswered and undelivered, as into a network black hole (the caller times out). */
    holdSends: false,
    /**
     * A callback frame not acknowledged within this long is pushed again, the same frame to
     * whichever connection is open [dingtalk-stream-sdk-nodejs: "within about a minute"].
     */
    redeliverAfterMs: 60_000,
  };
  /** Callback frames pushed and not yet acknowledged, with their redelivery timers. */
  const unackedFrames = new Map<string, { json: string; timer: NodeJS.Timeout }>();
  let redeliveries = 0;
  let heldSends = 0;
  const armRedelivery = (messageId: string, json: string) => {
    const timer = setTimeout(() => {
      if (!unackedFrames.has(messageId)) return;
      const socket = anySocket();
      if (socket) {
        redeliveries++;
        socket.send(json);
      }
      armRedelivery(messageId, json);
    }, behaviour.redeliverAfterMs);
    timer.unref();
    unackedFrames.set(messageId, { json, timer });
  };

  const server: Server = createServer((req, res) => void route(req, res));
  const wss = new WebSocketServer({ noServer: true });
  server.on('connection', (socket) => {
    rawSockets.add(socket);
    socket.on('close', () => rawSockets.delete(socket));
  });
  server.on('upgrade', (req, socket, head) => {
    handshakes++;
    const ticket = new URL(req.url ?? '', 'http://x').searchParams.get('ticket') ?? '';
    if (behaviour.socket === 'refuse' || !tickets.delete(ticket)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (behaviour.socket === 'drop') {
        ws.terminate();
        return;
      }
      sockets.add(ws);
      const id = ++socketSerial;
      timeline.push({ event: 'open', socket: id, at: Date.now() });
      ws.on('close', () => {
        sockets.delete(ws);
        timeline.push({ event: 'close', socket: id, at: Date.now() });
      });
      ws.on('ping', () => {
        // ws answers pings itself; a silent gateway is simulated by pausing the socket instead.
      });
      ws.on('message', (raw) => {
        const frame = JSON.parse(String(raw)) as { headers?: { messageId?: string; topic?: string }; data?: string };
        const id = frame.headers?.messageId ?? '';
        if (frame.headers?.topic === 'ping') pongs.push(id);
        else {
          acks.set(id, [...(acks.get(id) ?? []), frame as Record<string, unknown>]);
          clearTimeout(unackedFrames.get(id)?.timer);
          unackedFrames.delete(id);
        }
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;

  async function body(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
  const json = (res: ServerResponse, status: number, payload: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(payload));
  };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '', base);
    const raw = await body(req);
    const parsed = () => JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>;
    if (url.pathname === '/v1.0/gateway/connections/open') {
      opens++;
      const b = parsed();
      if (behaviour.open === 'hang') return; // never answers
      if (behaviour.open === 'fail') return json(res, 500, { code: 'ServiceUnavailable', message: 'busy' });
      if (behaviour.open === 'refuse' || b.clientId !== clientId || b.clientSecret !== clientSecret) {
        return json(res, 401, { requestid: 'r', code: 'authFailed', message: '鉴权失败' });
      }
      subscriptions = Array.isArray(b.subscriptions) ? (b.subscriptions as typeof subscriptions) : [];
      const ticket = randomBytes(8).toString('hex');
      tickets.add(ticket);
      return json(res, 200, { endpoint: `ws://127.0.0.1:${port}/connect`, ticket });
    }
    if (url.pathname === '/v1.0/oauth2/accessToken') {
      tokens++;
      const b = parsed();
      if (b.appKey !== clientId || b.appSecret !== clientSecret) return json(res, 400, { requestid: 'r', code: 'invalidClientIdOrSecret', message: '无效的clientId或者clientSecret' });
      const token = `token-${++tokenSerial}`;
      validTokens.add(token);
      return json(res, 200, { accessToken: token, expireIn: 7200 });
    }
    // A black hole: no answer ever comes, nothing is delivered.
    if (behaviour.holdSends && url.pathname !== '/v1.0/oauth2/accessToken') {
      heldSends++;
      return;
    }
    if (url.pathname.startsWith('/robot/sendBySession')) {
      const session = url.searchParams.get('session') ?? '';
      const [conversation, expires] = session.split('~');
      if (Number(expires) < Date.now()) return json(res, 200, { errcode: 300001, errmsg: 'session 不存在' });
      const b = parsed() as { msgtype?: string; markdown?: { title?: string; text?: string }; at?: { atUserIds?: string[] } };
      sends.push({
        via: 'session',
        to: conversation ?? '',
        msgKey: b.msgtype ?? '',
        title: b.markdown?.title ?? '',
        text: b.markdown?.text ?? '',
        at: b.at?.atUserIds ?? [],
        param: b as Record<string, unknown>,
        at_ms: Date.now(),
      });
      return json(res, 200, { errcode: 0, errmsg: 'ok' });
    }
    if (url.pathname === '/media/upload') {
      if (!validTokens.has(url.searchParams.get('access_token') ?? '')) return json(res, 200, { errcode: 40014, errmsg: '不合法的access_token' });
      if (!behaviour.upload) return json(res, 200, { errcode: 40004, errmsg: '不合法的媒体文件类型' });
      const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData();
      const media = form.get('media');
      if (!(media instanceof Blob)) return json(res, 200, { errcode: 40001, errmsg: 'no media' });
      // oapi media/upload as its reference documents it: `type` in the query string (newer pages put it in the form).
      const queryType = url.searchParams.get('type') ?? '';
      const formType = String(form.get('type') ?? '');
      if (!['image', 'voice', 'video', 'file'].includes(queryType)) return json(res, 200, { errcode: 40005, errmsg: '不合法的文件类型' });
      uploads.push({ name: (media as File).name, bytes: Buffer.from(await media.arrayBuffer()), type: queryType, queryType, formType });
      return json(res, 200, { errcode: 0, errmsg: 'ok', media_id: `@media${uploads.length}`, type: 'file' });
    }
    // The robot's open API calls need a token.
    if (!validTokens.has(String(req.headers['x-acs-dingtalk-access-token'] ?? ''))) {
      return json(res, 400, { requestid: 'r', code: 'InvalidAuthentication', message: '不合法的access_token' });
    }
    const failure = behaviour.failNext.shift();
    if (failure) return json(res, failure.status, failure.body);
    if (behaviour.sendDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, behaviour.sendDelayMs));
    for (const extra of extraRoutes) if (extra(req.method ?? 'GET', url.pathname, raw.toString('utf8'), (status, payload) => json(res, status, payload))) return;
    const b = parsed() as { robotCode?: string; userIds?: string[]; openConversationId?: string; msgKey?: string; msgParam?: string };
    const param = JSON.parse(b.msgParam ?? '{}') as Record<string, unknown>;
    if (b.robotCode !== clientId) return json(res, 400, { code: 'invalidParameter.robotCode', message: 'robot' });
    // An image message shows a picture uploaded as one (media/upload type=image), by its media id, or a URL.
    if (b.msgKey === 'sampleImageMsg') {
      const photo = String(param.photoURL ?? '');
      const uploaded = uploads.find((_, i) => `@media${i + 1}` === photo);
      if (!/^https?:\/\//.test(photo) && uploaded?.type !== 'image') return json(res, 400, { code: 'invalidParameter.msgParam.photoURL', message: 'photoURL' });
    }
    if (url.pathname === '/v1.0/robot/oToMessages/batchSend') {
      const ids = b.userIds ?? [];
      if (ids.length === 0 || ids.length > 20) return json(res, 400, { code: 'invalidParameter.userIds', message: 'userIds' });
      const flowControlled: string[] = [];
      const invalid: string[] = [];
      for (const id of ids) {
        const left = behaviour.flowControlled.get(id) ?? 0;
        if (behaviour.invalid.has(id)) invalid.push(id);
        else if (left > 0) {
          flowControlled.push(id);
          behaviour.flowControlled.set(id, left - 1);
        } else sends.push({ via: 'dm', to: id, msgKey: b.msgKey ?? '', title: String(param.title ?? ''), text: String(param.text ?? ''), at: [], param, at_ms: Date.now() });
      }
      return json(res, 200, { processQueryKey: 'pqk', invalidStaffIdList: invalid, flowControlledStaffIdList: flowControlled });
    }
    if (url.pathname === '/v1.0/robot/groupMessages/send') {
      if (Buffer.byteLength(b.msgParam ?? '') > 15_000) return json(res, 400, { code: 'invalidParameter.msgParam.tooLong', message: '消息内容太长' });
      const group = b.openConversationId ?? '';
      if (behaviour.notInGroup.has(group)) return json(res, 400, { code: 'invalidParameter.openConversationId.notExist', message: 'robot not in group' });
      sends.push({ via: 'group', to: group, msgKey: b.msgKey ?? '', title: String(param.title ?? ''), text: String(param.text ?? ''), at: [], param, at_ms: Date.now() });
      return json(res, 200, { processQueryKey: 'pqk' });
    }
    json(res, 404, { code: 'notFound', message: url.pathname });
  }

  let pushed = 0;
  function frame(type: string, topic: string, data: string, messageId = `frame-${++pushed}`) {
    return {
      messageId,
      json: JSON.stringify({ specVersion: '1.0', type, headers: { appId: 'app', connectionId: 'c', contentType: 'application/json', messageId, time: String(Date.now()), topic }, data }),
    };
  }
  /** The socket a push goes to: one at random, as DingTalk picks one of an app's connections. */
  const anySocket = () => {
    const open = [...sockets].filter((s) => s.readyState === 1);
    return open[Math.floor(Math.random() * open.length)];
  };

  const fake = {
    url: base,
    clientId,
    clientSecret,
    robotId: ROBOT_ID,
    behaviour,
    sends,
    timeline,
    uploads,
    acks,
    pongs,
    counts: () => ({ opens, handshakes, tokens, redeliveries, heldSends, connections: [...sockets].filter((s) => s.readyState === 1).length }),
    /** Pushes any frame as raw text (a malformed one, an unknown topic) to every connection; resolves with its message id when it has one. */
    pushRaw(raw: string): void {
      for (const s of sockets) if (s.readyState === 1) s.send(raw);
    },
    /** A CALLBACK frame on any topic with any data, as DingTalk frames it; its message id. */
    pushCallback(topic: string, data: string): string {
      const f = frame('CALLBACK', topic, data);
      for (const s of sockets) if (s.readyState === 1) s.send(f.json);
      armRedelivery(f.messageId, f.json);
      return f.messageId;
    },
    /** Forgets the tokens handed out, as when they expire. */
    expireTokens: () => (validTokens = new Set()),

    /** Pushes a robot message as DingTalk does (to one connection, or to each when `everyConnection`); resolves with its ids. */
    pushRobotMessage(input: RobotMessageInput, opts: { everyConnection?: boolean } = {}): { msgId: string; frameIds: string[] } {
      const msgId = input.msgId ?? `msg${randomBytes(6).toString('hex')}`;
      const conversation = input.group ?? `cid-1on1-${input.from}`;
      const webhookMs = input.webhookMs ?? 90 * 60_000;
      const data = {
        conversationId: conversation,
        atUsers: [{ dingtalkId: ROBOT_ID }, ...(input.mentions ?? []).map((staffId) => ({ dingtalkId: `$:LWCP_v1:$${staffId}`, staffId }))],
        chatbotCorpId: 'ding-corp',
        chatbotUserId: ROBOT_ID,
        msgId,
        senderNick: input.nick ?? input.from,
        isAdmin: false,
        senderStaffId: input.from,
        sessionWebhookExpiredTime: Date.now() + webhookMs,
        createAt: Date.now(),
        senderCorpId: 'ding-corp',
        conversationType: input.group ? '2' : '1',
        senderId: `$:LWCP_v1:$${input.from}`,
        ...(input.group ? { conversationTitle: '客服一组' } : {}),
        isInAtList: true,
        sessionWebhook: `${base}/robot/sendBySession?session=${encodeURIComponent(`${conversation}~${Date.now() + webhookMs}`)}`,
        // As DingTalk does: the @names of mentioned people are taken out; the robot's leaves a leading space.
        text: { content: ` ${input.text}` },
        robotCode: clientId,
        msgtype: 'text',
        ...input.override,
      };
      const targets = opts.everyConnection ? [...sockets].filter((s) => s.readyState === 1) : [anySocket()].filter(Boolean);
      if (targets.length === 0) throw new Error('no Stream connection to push to');
      const frameIds: string[] = [];
      for (const socket of targets) {
        const f = frame('CALLBACK', '/v1.0/im/bot/messages/get', JSON.stringify(data));
        frameIds.push(f.messageId);
        socket!.send(f.json);
        armRedelivery(f.messageId, f.json);
      }
      return { msgId, frameIds };
    },
    /** A SYSTEM ping on every connection; resolves with the frame ids. */
    ping(): string[] {
      return [...sockets].map((s) => {
        const f = frame('SYSTEM', 'ping', JSON.stringify({ opaque: randomBytes(4).toString('hex') }));
        s.send(f.json);
        return f.messageId;
      });
    },
    /** A SYSTEM disconnect frame; the gateway closes those connections `closeAfterMs` later. */
    askToReconnect(closeAfterMs = 300): void {
      for (const s of sockets) {
        s.send(frame('SYSTEM', 'disconnect', JSON.stringify({ reason: 'connection is expired' })).json);
        setTimeout(() => s.close(1000), closeAfterMs);
      }
    },
    /** Cuts every connection (a network drop). */
    dropConnections(): void {
      for (const s of sockets) s.terminate();
    },
    /** Stops answering anything on the open sockets (no pongs, no reads): a silent gateway. */
    goSilent(): void {
      for (const s of sockets) (s as unknown as { _socket: Socket })._socket.pause();
    },
    /** Everything sent since the last call (or since the start). */
    take(): DingTalkSend[] {
      return sends.splice(0);
    },
    async stop(): Promise<void> {
      for (const { timer } of unackedFrames.values()) clearTimeout(timer);
      unackedFrames.clear();
      for (const s of sockets) s.terminate();
      for (const s of rawSockets) s.destroy();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return { ...fake, cards: installCardRoutes({ clientId, sends, extraRoutes, subscriptions: () => subscriptions, pushRaw: fake.pushRaw, acks, behaviour }) };
}

export type FakeDingTalk = Awaited<ReturnType<typeof startFakeDingTalk>>;

/** Waits until a condition holds, or fails after a bound. */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 15));
  }
  throw new Error(`timed out waiting for: ${what}`);
}
