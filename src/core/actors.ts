/**
 * Who acted when no person typed: the phone system (a call event) or another system (a
 * signed event); and the owner of a contact nobody has been found for yet, which the
 * supervisors hand to someone. `~` never starts a Slack, DingTalk or WeCom user id, so
 * these never name a person.
 */
export const PHONE_SYSTEM = '~pbx';
export const EVENT_SOURCE = '~events';
export const NOBODY = '~nobody';

/** Whether a user id is one of the bot's own actors rather than a person. */
export const isSystemActor = (userId: string): boolean => userId.startsWith('~');
