import { t, type Lang } from '../../i18n';
import { renderMarkdown, type MarkdownDialect, type MarkdownPart, type Names, type Readers } from '../markdown';
import type { Message } from '../message';

/**
 * The most a robot message's parameters may weigh: DingTalk takes up to 15,000
 * bytes for a group send (no figure is published for the others); the rest is margin.
 */
const DINGTALK_MAX_BYTES = 12_000;

/**
 * DingTalk's markdown: a line break needs two spaces before the newline; a button
 * in a private chat is a `dtmd://dingtalkclient/sendMessage` link, which sends its
 * command into the chat as whoever taps it. A group robot hears only @mentions, so
 * a group shows the command to type instead; a user picker is the command to finish.
 */
function dingtalkDialect(lang: Lang): MarkdownDialect {
  return {
    lineBreak: '  \n',
    unnamedChannel: t(lang, 'private.teamGroup'),
    button: (label, command, readers) =>
      readers === 'private'
        ? // `/cs` in front: a tap is a command even while a guided form waits for an answer.
          `[${label}](dtmd://dingtalkclient/sendMessage?content=${encodeURIComponent(`/cs ${command}`)})`
        : t(lang, 'private.typeInGroup', { label, command }),
    picker: (label, command) => t(lang, 'private.pickUser', { label, command }),
  };
}

/** A neutral message as DingTalk markdown parts (title + text), each within the size limit. */
export function renderDingTalk(message: Message, readers: Readers, names: Names): MarkdownPart[] {
  return renderMarkdown(message, { names, readers, dialect: dingtalkDialect(message.lang ?? 'zh-CN'), maxBytes: DINGTALK_MAX_BYTES });
}
