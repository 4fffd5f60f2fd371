/**
 * Makes the chart font (`npm run font:subset`): Noto Sans Hans Regular (SIL OFL 1.1, from the
 * npm package @embedpdf/fonts-sc, a dev dependency) cut down to what charts write —
 * printable ASCII, Chinese punctuation and full-width forms, the 3,755 characters of GB 2312
 * level 1 (the common characters, names included), and every character of the bot's
 * catalogue (src/i18n/*.ts) — without hinting, which the renderer does not use.
 * It goes by a name of its own (CS Bot Chart Sans): the OFL keeps "Noto Sans" for the original.
 * The same inputs give the same file byte for byte; commit it with the script's changes.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import subsetFont from 'subset-font';
import { renamedFont } from './font-names';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'assets/fonts/charts-sc-subset.otf');
// The package exports only its CDN settings: its fonts folder is found beside its entry (dist/).
const SOURCE = join(createRequire(import.meta.url).resolve('@embedpdf/fonts-sc'), '../../fonts/NotoSansHans-Regular.otf');

/** The characters of GB 2312 rows `from`..`to` (0xA1 punctuation, 0xA3 full-width ASCII, 0xB0–0xD7 level 1). */
function gb2312Rows(from: number, to: number): string {
  const decoder = new TextDecoder('gb18030');
  let out = '';
  for (let row = from; row <= to; row++) {
    for (let cell = 0xa1; cell <= 0xfe; cell++) {
      const ch = decoder.decode(new Uint8Array([row, cell]));
      if (ch !== '\ufffd') out += ch;
    }
  }
  return out;
}

function catalogueText(): string {
  const dir = join(ROOT, 'src/i18n');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('');
}

const ascii = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('');
const extra = '·–—…‘’“”、。，：；！？（）【】《》「」%℃×÷±≥≤→←↑↓✓✗';
const wanted = [...new Set(ascii + extra + gb2312Rows(0xa1, 0xa1) + gb2312Rows(0xa3, 0xa3) + gb2312Rows(0xb0, 0xd7) + catalogueText())]
  .filter((ch) => ch >= ' ')
  .sort()
  .join('');

const subset = await subsetFont(readFileSync(SOURCE), wanted, { targetFormat: 'sfnt', noHinting: true, noLayoutClosure: true });
// A subset is a Modified Version under the OFL: it may not go by the Reserved Font Name "Noto Sans".
const font = renamedFont(subset, 'CS Bot Chart Sans', 'CSBotChartSans-Regular', '1.0');
writeFileSync(OUT, font);
const sha = createHash('sha256').update(font).digest('hex').slice(0, 16);
console.log(`${OUT}: ${[...wanted].length} characters asked, ${(font.length / 1024).toFixed(0)} KB, sha256 ${sha}…`);
