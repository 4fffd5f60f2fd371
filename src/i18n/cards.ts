/** zh-CN texts of DingTalk's group cards (src/chat/dingtalk/cards.ts). */
export const cardsZhCN = {
  'cards.clicked': '✓ {user} {label}',
  'cards.alreadyPressed': '这个按钮已经有人按过了，卡片上写着由谁处理。',
  'cards.refused':
    '钉钉拒绝了机器人在{channel}（{team}）发送互动卡片：{detail}。从现在起，群里的按钮改为「发送 @机器人 命令」的文字，功能不受影响。要恢复按钮，请在钉钉开发者后台给本应用开通互动卡片相关权限（如「企业内机器人发送消息权限」「Card.Instance.Write」），然后重启机器人；不想用卡片可设置 DINGTALK_GROUP_CARDS=off。',
} as const;

export type CardsKey = keyof typeof cardsZhCN;

/** English texts of DingTalk's group cards. */
export const cardsEn: Record<CardsKey, string> = {
  'cards.clicked': '✓ {user} {label}',
  'cards.alreadyPressed': 'That button was already pressed; the card says who dealt with it.',
  'cards.refused':
    "DingTalk refused the robot's interactive card in {channel} ({team}): {detail}. From now on the group's buttons show the command to send \"@bot …\" instead; everything still works. To get the buttons back, grant the app the interactive-card permissions in the DingTalk developer console (e.g. the robot's message-sending permission and Card.Instance.Write) and restart the bot; to do without cards, set DINGTALK_GROUP_CARDS=off.",
};
