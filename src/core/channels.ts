/** The ways a customer reaches the team. */
export const CONTACT_CHANNELS = ['call', 'missed', 'wechat', 'email', 'visit', 'complaint'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

const CHANNEL_WORDS: Readonly<Record<string, ContactChannel>> = {
  call: 'call',
  来电: 'call',
  phone: 'call',
  电话: 'call',
  missed: 'missed',
  未接: 'missed',
  未接来电: 'missed',
  wechat: 'wechat',
  微信: 'wechat',
  wx: 'wechat',
  email: 'email',
  mail: 'email',
  邮件: 'email',
  visit: 'visit',
  来访: 'visit',
  到访: 'visit',
  complaint: 'complaint',
  投诉: 'complaint',
};

/** Reads a channel word in English or Chinese; null when it is not one. */
export function parseChannel(word: string): ContactChannel | null {
  return CHANNEL_WORDS[word.toLowerCase()] ?? null;
}

export const ROLES = ['specialist', 'supervisor', 'manager'] as const;
export type Role = (typeof ROLES)[number];

const ROLE_WORDS: Readonly<Record<string, Role>> = {
  specialist: 'specialist',
  专员: 'specialist',
  客服专员: 'specialist',
  置业顾问: 'specialist',
  supervisor: 'supervisor',
  主管: 'supervisor',
  客服主管: 'supervisor',
  manager: 'manager',
  经理: 'manager',
  客服经理: 'manager',
};

export function parseRole(word: string): Role | null {
  return ROLE_WORDS[word.toLowerCase()] ?? null;
}
