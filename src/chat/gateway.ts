import type { Lang } from '../i18n';
import type { Outgoing } from './message';
import { forReaders } from './privacy';

/** A file for one person: an export. */
export interface PrivateFile {
  readonly user: string;
  readonly name: string;
  readonly title: string;
  readonly content: Buffer;
}

/**
 * How a file reached its person: in their private chat; as a file they can open
 * themselves (the sandbox's folder); or only on the server, when the chat would not
 * take it, with why.
 */
export type FileDelivery = { readonly kind: 'chat' } | { readonly kind: 'local'; readonly path: string } | { readonly kind: 'server'; readonly path: string; readonly why: string };

/**
 * A picture for a team channel or for one person's private chat: a chart drawn by the bot,
 * sent beside a message's text (never instead of it). `title` says what it shows, in the
 * readers' language; it has figures and names only, no customer's number.
 */
export interface OutgoingImage {
  readonly to: { readonly kind: 'channel'; readonly channel: string } | { readonly kind: 'dm'; readonly user: string };
  /** A file name: `digest-2026-11-24.png`. */
  readonly name: string;
  readonly title: string;
  readonly png: Buffer;
  readonly lang: Lang;
}

/** The port every chat platform implements: deliver a message to where it is addressed. */
export interface ChatGateway {
  send(outgoing: Outgoing): Promise<void>;
  /** Gives a file to one person privately. */
  sendFile?(file: PrivateFile): Promise<FileDelivery>;
  /**
   * Shows a picture where it is addressed (Slack: a file shared into the conversation;
   * DingTalk and WeCom: the media uploaded, then an image message; the sandbox: a PNG in
   * its folder, the path printed). A refusal that will not change on a retry (a permission
   * missing, a 4xx) is a permanent DeliveryError.
   */
  sendImage?(image: OutgoingImage): Promise<void>;
  /**
   * Whether this process can send just now; absent means always. On WeCom only the replica
   * holding the one connection can: the others' outbox leaves the due reminders to it.
   */
  canSend?(): boolean;
}

/** A gateway whose every message passes the one masking step first (see privacy.ts). */
export function maskingGateway(gateway: ChatGateway): ChatGateway {
  return {
    send: (outgoing) => gateway.send(forReaders(outgoing)),
    ...(gateway.sendFile ? { sendFile: gateway.sendFile.bind(gateway) } : {}),
    // A picture has no text to mask: its labels are names and figures (src/app/charts masks any number-like name).
    ...(gateway.sendImage ? { sendImage: gateway.sendImage.bind(gateway) } : {}),
    ...(gateway.canSend ? { canSend: gateway.canSend.bind(gateway) } : {}),
  };
}

/**
 * What a refusal holds back: this message only, everything for this recipient
 * (DingTalk's flow-controlled users), or every send on the platform (a 429's
 * Retry-After, an API ban).
 */
export type DeliveryScope = 'message' | 'recipient' | 'platform';

/**
 * A message the platform did not take. `retryAfterMs` is the platform's own wait
 * (HTTP 429 Retry-After); without it the sender backs off on its own. A permanent
 * refusal (a user the platform does not know) is not tried again.
 */
export class DeliveryError extends Error {
  readonly scope: DeliveryScope;
  readonly permanent: boolean;
  /** The HTTP status the platform answered with, where it answered over HTTP. */
  readonly status: number | undefined;
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    opts: { readonly scope?: DeliveryScope; readonly permanent?: boolean; readonly status?: number } = {},
  ) {
    super(message);
    this.name = 'DeliveryError';
    this.scope = opts.scope ?? 'message';
    this.permanent = opts.permanent ?? false;
    this.status = opts.status;
  }
}
