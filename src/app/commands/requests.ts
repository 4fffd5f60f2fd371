import type { Db } from '../../../db/database';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database';
import type { OutgoingImage } from '../../chat/gateway';
import type { Message, Outgoing } from '../../chat/message';
import type { Actor } from '../../core/access';
import type { ChartSpec } from '../../core/charts';
import type { HolidayData } from '../../core/time/calendar';
import type { ContactChannel } from '../../core/channels';
import type { Clock } from '../../core/time/clock';
import type { Member, Platform, Team } from '../../core/model';
import type { UserError } from '../../core/result';
import type { Lang, Params } from '../../i18n';
import type { Logger } from '../../runtime/logger';
import type { Metrics } from '../../runtime/metrics';
import * as views from '../contacts/views';

/** Who typed what, where. */
export interface CommandRequest {
  readonly userId: string;
  /** The name the platform gave for the user, kept for lists. */
  readonly userName?: string | null;
  /** Where it was typed; null for a place with no channel. */
  readonly channelId: string | null;
  readonly text: string;
  /** A platform id for this request, so a retry or double submission is done once. */
  readonly requestKey?: string;
}

export interface CommandOutcome {
  /** The private answer to the person who asked (ephemeral, or in the DM they wrote in). */
  readonly reply: Message | null;
  /** Other messages the request causes (DMs to owners, posts to the team channel). */
  readonly notices: readonly Outgoing[];
  /** Set when the command asks for the log form (Slack modal, sandbox prompt). */
  readonly openLogForm?: { readonly lang: Lang; readonly note?: string; readonly channel?: ContactChannel };
  /** A file for the person who asked (an export): a DM upload on Slack, a file under exports/ in the sandbox. */
  readonly file?: OutgoingFile;
  /** A picture for the person who asked (`/cs kpi … chart`), sent after the reply through the gateway's sendImage. */
  readonly image?: OutgoingImage;
  /** The contact a `log` wrote (or found again): a group may be told its number, never its details. */
  readonly loggedId?: number;
  /** The answer is a mistake the user can fix (counted as such). */
  readonly userError?: boolean;
}

export interface OutgoingFile {
  readonly user: string;
  readonly name: string;
  readonly title: string;
  readonly content: Buffer;
  readonly lang: Lang;
}

/** A request from a member of a team. */
export interface Context {
  readonly request: CommandRequest;
  readonly team: Team;
  readonly member: Member;
  readonly actor: Actor;
  readonly lang: Lang;
  /** Whose contacts the actor covers just now (代班), read only when asked, through `db` (a transaction's, inside one). */
  readonly covering?: (db: Db) => Promise<ReadonlySet<string>>;
}

export interface CommandServiceDeps {
  /** The chat this process serves: only its teams are looked up and created. */
  readonly platform: Platform;
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly holidays: HolidayData;
  readonly defaultLang: Lang;
  readonly bootstrapAdmins: ReadonlySet<string>;
  /** Told when deadlines are written or change, so reminders are rescheduled at once. */
  readonly onDeadlinesChanged?: () => void;
  /** The operator's counters (none by default). */
  readonly metrics?: Metrics;
  /** Draws a chart as a PNG (`/cs kpi … chart`): the lazy renderer by default, a test's stand-in otherwise. */
  readonly draw?: (spec: ChartSpec) => Promise<{ readonly png: Buffer }>;
  /** Where the intake server answers (`http://host:port`), for the addresses `/cs team intake` gives; null when it is off. */
  readonly intakeBaseUrl?: () => string | null;
}

export const answer = (reply: Message, notices: readonly Outgoing[] = []): CommandOutcome => ({ reply, notices });
/** A user error as an answer; `examples` dates the usage line's examples (views.exampleDates). */
export const answerError = (error: UserError, lang: Lang, examples?: Params): CommandOutcome => ({ ...answer(views.errorMessage(error, lang, examples)), userError: true });
