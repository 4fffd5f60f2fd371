import type { Readable, Writable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database';
import type { CommandService } from '../app/commands/command-service';
import type { LogForm } from '../chat/conversation/log-form';
import type { InboundHandler } from '../chat/conversation/inbound';
import type { ChatGateway } from '../chat/gateway';
import type { Config, PlatformConfig } from '../config';
import type { Clock } from '../core/time/clock';
import type { Logger } from '../runtime/logger';
import type { Metrics } from '../runtime/metrics';

/** What the process gives the bot, and the knobs a test turns; a platform takes what it needs of them. */
export interface PlatformSettings {
  readonly config: Config;
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The sandbox's terminal. */
  readonly stdin?: Readable;
  readonly stdout?: Writable;
  /** The sandbox's demo team on an empty database (default on). */
  readonly seedDemo?: boolean;
  /** How long a person DingTalk flow-controlled waits (a minute unless a test says otherwise). */
  readonly flowControlWaitMs?: number;
}

/** What a platform is opened with: the settings, the operator's counters, and whom to tell when it can send. */
export interface PlatformDeps extends PlatformSettings {
  readonly metrics: Metrics;
  /** The chat became able to send (WeCom: this replica took the connection): what waited may go out. */
  readonly onReady: () => void;
}

/** What the running bot hands a platform's listeners. */
export interface Listening {
  readonly service: CommandService;
  /** The log form as a conversation, where the platform has no modal. */
  readonly forms: LogForm;
  /** The gateway everything sends through (masked). */
  readonly gateway: ChatGateway;
  /** The neutral handler of messages, for a platform without Slack's features (made when asked: only they load it). */
  readonly inbound: () => Promise<InboundHandler>;
}

/** A platform taking messages: how to stop it and whether it is ready. */
export interface RunningPlatform {
  stop(): Promise<void>;
  /** For /readyz: able to take and send messages (or standing by for another replica). */
  connected(): boolean;
  /** The port Slack's HTTP mode listens on. */
  readonly httpPort?: number | null;
  /** The terminal's session, begun once the bot's jobs run; resolves when its input ends. */
  readonly session?: () => Promise<void>;
}

/** A platform opened: its outbound gateway (reminders, digests need it before anything listens), and how it starts listening. */
export interface OpenPlatform {
  readonly gateway: ChatGateway;
  start(listening: Listening): Promise<RunningPlatform>;
}

/** The settings of one platform kind. */
export type PlatformOf<K extends PlatformConfig['kind']> = Extract<PlatformConfig, { kind: K }>;

/** One platform: its transport bound to its listeners (and to storage, where it keeps any). */
export interface PlatformModule<S extends PlatformConfig> {
  /** Whether the operator's counters and endpoints (/metrics, /healthz, /readyz) run; not for the terminal. */
  readonly observed: boolean;
  open(settings: S, deps: PlatformDeps): OpenPlatform;
}

/**
 * A transport whose listeners hand each message to the neutral inbound handler (DingTalk,
 * WeCom): its gateway at once, its listeners bound to the handler when it starts.
 */
export function listeningThroughInbound<L>(transport: { readonly gateway: ChatGateway; start(listeners: L): Promise<RunningPlatform> }, listeners: (inbound: InboundHandler) => L): OpenPlatform {
  return { gateway: transport.gateway, start: async ({ inbound }) => transport.start(listeners(await inbound())) };
}
