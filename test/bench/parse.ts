/**
 * How long the number finder takes per KB of what people type, for shapes made to be slow
 * (digits in groups of every kind), beside a floor in the same run: the least any reader of
 * the same digits does — full-width digits folded, then one regular-expression pass over the
 * digit runs.
 *
 *   npm run bench:parse
 *
 * Prints, per shape, the median of BENCH_REPEATS runs over 100 KB, as µs per KB, and the
 * ratio to the floor; the whole line parsed as a command without the length limit; and what
 * the bot does with such a message (refused unread past COMMAND_MAX_CHARS).
 */
import { COMMAND_MAX_CHARS, parseCommand, readCommand } from '../../src/core/grammar/commands';
import { asciiDigits, findNumbers, maskPhonesIn } from '../../src/core/phone-text';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 15);
const KB = 100;
const SHAPES: Record<string, string> = {
  'spaced digits': '7 ',
  dashes: '7-',
  'plus signs': '+7 ',
  brackets: '(7) ',
  'full-width': '７　',
  mixed: '18 6-(0)+2１ ',
  'one long run': '7',
  dates: '2031-04-17 ',
  'real mobiles': '15911112222 ',
  'two-digit groups': '12 ',
};

function medianMs(run: () => void): number {
  run();
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

const rows: string[][] = [];
for (const [name, unit] of Object.entries(SHAPES)) {
  const text = `log wechat 丁 ${unit.repeat(Math.ceil((KB * 1024) / unit.length))}`;
  const floor = medianMs(() => {
    let n = 0;
    for (const _ of asciiDigits(text).matchAll(/\d+/g)) n++;
    if (n < 0) throw new Error('unreachable');
  });
  const find = medianMs(() => findNumbers(text));
  const mask = medianMs(() => maskPhonesIn(text));
  const unbounded = medianMs(() => parseCommand(text));
  const command = medianMs(() => readCommand(text, true));
  const perKb = (ms: number) => ((ms * 1000) / KB).toFixed(0);
  rows.push([name, perKb(floor), perKb(find), (find / floor).toFixed(1), perKb(mask), perKb(unbounded), (command * 1000).toFixed(1)]);
}

const header = ['shape (100 KB)', 'floor µs/KB', 'find µs/KB', 'find/floor', 'mask µs/KB', 'parse µs/KB', 'command µs'];
console.log(`| ${header.join(' | ')} |`);
console.log(`| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`);
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
console.log(
  `\nmedian of ${REPEATS} runs; "parse" reads the whole line as a command would without the length limit; "command" is what the bot does with the line (refused unread past ${COMMAND_MAX_CHARS} characters).`,
);
