import { CARD_TOPIC, ROBOT_TOPIC } from '../../src/chat/dingtalk/stream';
import { cardCallback } from './card-callback';
import { robotMessage, type RobotMessageDeps } from './robot-message';

/** DingTalk Stream callbacks by topic. */
export function dingtalkCallbacks(deps: RobotMessageDeps): ReadonlyMap<string, (data: string) => Promise<void>> {
  return new Map([
    [ROBOT_TOPIC, robotMessage(deps)],
    [CARD_TOPIC, cardCallback(deps)],
  ]);
}
