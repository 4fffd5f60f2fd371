import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { readLogSubmission } from '../../../src/chat/slack/log-modal';
import { deliverOutcome, type HandlerDeps } from '../deps';
import { createSlackGateway } from '../../../src/chat/slack/gateway';

/**
 * The log modal's submission. Checked before the ack, so a mistake is shown on
 * the field itself; the view id makes a double submission log once.
 */
export function logContactSubmit(deps: HandlerDeps) {
  return async ({ ack, body, view, client }: AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>): Promise<void> => {
    const submission = readLogSubmission(view);
    if (!submission) {
      await ack({ response_action: 'errors', errors: { customer: 'Unreadable form / 表单无法读取' } });
      return;
    }
    const result = await deps.service.submitLogForm({ userId: body.user.id, userName: body.user.name, channelId: submission.origin, text: '', requestKey: `view:${view.id}` }, submission.fields);
    if (!result.ok) {
      await ack({ response_action: 'errors', errors: { [result.field ?? 'customer']: result.message } });
      return;
    }
    await ack();
    const gateway = createSlackGateway(client);
    await deliverOutcome(deps, result.outcome, {
      reply: (message) => gateway.send({ to: { kind: 'dm', user: body.user.id }, message }),
      client,
      origin: submission.origin,
    });
  };
}
