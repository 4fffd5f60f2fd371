/**
 * The command text of a message to the bot: without a leading mention of the bot
 * (Slack's `<@U…>`), an optional `/cs` or `cs`, and the spacing around them.
 */
export function commandTextOf(text: string): string {
  return text
    .replace(/^[\s\u3000]*<@[A-Z0-9]+(?:\|[^>]*)?>[\s\u3000:：,，]*/i, '')
    .replace(/^[\s\u3000]*\/?cs(?:[\s\u3000]+|$)/i, '')
    .trim();
}
