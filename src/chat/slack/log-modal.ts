import type { types } from '@slack/bolt';
import { z } from 'zod';
import type { LogFields } from '../../core/grammar/commands';
import { CONTACT_CHANNELS, type ContactChannel } from '../../core/channels';
import { COMPLAINT_CATEGORIES, COMPLAINT_LEVELS } from '../../core/complaints';
import { optionalComplaintFields } from '../../core/contact-draft';
import { NOTE_MAX_CHARS } from '../../core/grammar/commands';
import { t, type Lang } from '../../i18n';

export const LOG_MODAL_CALLBACK = 'log_contact';

const input = (blockId: string, label: string, element: types.InputBlockElement, optional = false, hint?: string): types.InputBlock => ({
  type: 'input',
  block_id: blockId,
  label: { type: 'plain_text', text: label },
  element,
  optional,
  ...(hint ? { hint: { type: 'plain_text', text: hint } } : {}),
});

/** The log form as a Slack modal; `origin` is the channel it was opened from. */
export function logModalView(lang: Lang, origin: string | null, note = '', channel?: ContactChannel): types.ModalView {
  const plain = (text: string) => ({ type: 'plain_text' as const, text });
  return {
    type: 'modal',
    callback_id: LOG_MODAL_CALLBACK,
    private_metadata: JSON.stringify({ origin }),
    title: plain(t(lang, 'form.title').slice(0, 24)),
    submit: plain(t(lang, 'form.submit')),
    close: plain(t(lang, 'form.cancel')),
    blocks: [
      input('channel', t(lang, 'form.channel'), {
        type: 'static_select',
        action_id: 'value',
        options: CONTACT_CHANNELS.map((c) => ({ text: plain(t(lang, `channel.${c}`)), value: c })),
        ...(channel ? { initial_option: { text: plain(t(lang, `channel.${channel}`)), value: channel } } : {}),
      }),
      input('customer', t(lang, 'form.customer'), { type: 'plain_text_input', action_id: 'value', max_length: 60 }),
      input('phone', t(lang, 'form.phone'), { type: 'plain_text_input', action_id: 'value', max_length: 30 }, true),
      input('at', t(lang, 'form.at'), { type: 'plain_text_input', action_id: 'value', max_length: 20 }, true, t(lang, 'form.atHint')),
      input(
        'note',
        t(lang, 'form.note'),
        { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: NOTE_MAX_CHARS, ...(note ? { initial_value: note.slice(0, NOTE_MAX_CHARS) } : {}) },
        true,
      ),
      // Complaints only; otherwise left empty. `/cs confirm` sets them later too.
      input(
        'level',
        t(lang, 'form.level'),
        { type: 'static_select', action_id: 'value', options: COMPLAINT_LEVELS.map((l) => ({ text: plain(t(lang, `level.${l}`)), value: l })) },
        true,
        t(lang, 'form.complaintOnly'),
      ),
      input(
        'category',
        t(lang, 'form.category'),
        { type: 'static_select', action_id: 'value', options: COMPLAINT_CATEGORIES.map((c) => ({ text: plain(t(lang, `category.${c}`)), value: c })) },
        true,
        t(lang, 'form.complaintOnly'),
      ),
    ],
  };
}

const inputValue = z.object({ value: z.string().nullish(), selected_option: z.object({ value: z.string() }).nullish() }).transform((v) => v.selected_option?.value ?? v.value ?? '');
const block = z.object({ value: inputValue }).optional();

const submissionSchema = z.object({
  private_metadata: z.string().default('{}'),
  state: z.object({ values: z.object({ channel: block, customer: block, phone: block, at: block, note: block, level: block, category: block }) }),
});

const metadataSchema = z.object({ origin: z.string().nullable().default(null) });

/** Reads a submitted log modal; null when the payload is not one of ours. */
export function readLogSubmission(view: unknown): { fields: LogFields; origin: string | null } | null {
  const parsed = submissionSchema.safeParse(view);
  if (!parsed.success) return null;
  const v = parsed.data.state.values;
  let origin: string | null = null;
  try {
    origin = metadataSchema.parse(JSON.parse(parsed.data.private_metadata)).origin;
  } catch {
    origin = null;
  }
  return {
    origin,
    fields: {
      channel: v.channel?.value ?? '',
      customer: v.customer?.value ?? '',
      phone: v.phone?.value || undefined,
      at: v.at?.value || undefined,
      note: v.note?.value ?? '',
      ...optionalComplaintFields(v.level?.value, v.category?.value),
    },
  };
}
