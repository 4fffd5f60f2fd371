import { parseCommand } from '../../src/core/grammar/commands';

/** A line's command, which the test expects to parse. */
export const parsed = (text: string) => {
  const r = parseCommand(text);
  if (!r.ok) throw new Error(`expected ok, got ${r.error.key}`);
  return r.value;
};

/** A line's error, which the test expects it to have. */
export const errorOf = (text: string) => {
  const r = parseCommand(text);
  if (r.ok) throw new Error(`expected an error for "${text}"`);
  return r.error;
};
