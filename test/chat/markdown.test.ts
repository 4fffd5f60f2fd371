import { describe, expect, it } from 'vitest';
import { renderDingTalk } from '../../src/chat/dingtalk/render';
import { NO_NAMES } from '../../src/chat/markdown';
import type { Message } from '../../src/chat/message';
import { buttonCard, renderWeCom } from '../../src/chat/wecom/render';

describe('notification titles', () => {
  const alert: Message = {
    text: '🚨 新紧急投诉 #1001（费用 · 王先生 137****5678）：物业费多收',
    blocks: [
      { kind: 'text', text: '🚨 *新紧急投诉* #1001（费用 · 王先生 137****5678）：物业费多收' },
      { kind: 'buttons', buttons: [{ label: '回访 137****5678', command: 'show 1001' }] },
    ],
  };

  it('keep a masked number masked: 137****5678 never reads as the seven digits 1375678', () => {
    for (const part of [...renderDingTalk(alert, 'private', NO_NAMES), ...renderWeCom(alert, 'private', NO_NAMES)]) {
      expect(part.title).toContain('137****5678');
      expect(part.title).not.toMatch(/1375678/);
      // Our own bold markers are gone from the title.
      expect(part.title).toContain('新紧急投诉 #1001');
    }
    const card = buttonCard(alert, '王先生 137****5678') as { main_title: { title: string }; button_list: Array<{ text: string }> };
    expect(card.button_list[0]!.text).toMatch(/137\*\*\*\*/);
    expect(card.button_list[0]!.text).not.toMatch(/1375678/);
  });
});
