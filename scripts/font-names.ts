/**
 * A font's names rewritten (the `name` table rebuilt, the file's checksums made right again):
 * a subset is a Modified Version under the SIL OFL, which may not present itself by the
 * original's Reserved Font Name, so the chart font goes by a name of its own. The copyright
 * and licence records are kept as they were.
 */
const KEEP = new Set([0, 13, 14]);
const WINDOWS = 3;
const UNICODE_BMP = 1;
const EN_US = 0x0409;

interface NameRecord {
  readonly nameId: number;
  readonly text: string;
}

const utf16be = (text: string): Buffer => Buffer.from(text, 'utf16le').swap16();

/** The Windows (3, 1, 0x409) records of a `name` table by id. */
function windowsNames(table: Buffer): Map<number, string> {
  const count = table.readUInt16BE(2);
  const storage = table.readUInt16BE(4);
  const out = new Map<number, string>();
  for (let i = 0; i < count; i++) {
    const at = 6 + i * 12;
    if (table.readUInt16BE(at) !== WINDOWS || table.readUInt16BE(at + 2) !== UNICODE_BMP || table.readUInt16BE(at + 4) !== EN_US) continue;
    const length = table.readUInt16BE(at + 8);
    const offset = table.readUInt16BE(at + 10);
    out.set(
      table.readUInt16BE(at + 6),
      Buffer.from(table.subarray(storage + offset, storage + offset + length))
        .swap16()
        .toString('utf16le'),
    );
  }
  return out;
}

function nameTable(records: readonly NameRecord[]): Buffer {
  const sorted = [...records].sort((a, b) => a.nameId - b.nameId);
  const strings = sorted.map((r) => utf16be(r.text));
  const header = Buffer.alloc(6 + sorted.length * 12);
  header.writeUInt16BE(0, 0);
  header.writeUInt16BE(sorted.length, 2);
  header.writeUInt16BE(header.length, 4);
  let offset = 0;
  sorted.forEach((r, i) => {
    const at = 6 + i * 12;
    header.writeUInt16BE(WINDOWS, at);
    header.writeUInt16BE(UNICODE_BMP, at + 2);
    header.writeUInt16BE(EN_US, at + 4);
    header.writeUInt16BE(r.nameId, at + 6);
    header.writeUInt16BE(strings[i]!.length, at + 8);
    header.writeUInt16BE(offset, at + 10);
    offset += strings[i]!.length;
  });
  return Buffer.concat([header, ...strings]);
}

function checksum(data: Buffer): number {
  const padded = Buffer.concat([data, Buffer.alloc((4 - (data.length % 4)) % 4)]);
  let sum = 0;
  for (let i = 0; i < padded.length; i += 4) sum = (sum + padded.readUInt32BE(i)) >>> 0;
  return sum;
}

/** The font with its family, full and PostScript names replaced; its copyright and licence kept. */
export function renamedFont(font: Buffer, family: string, postScript: string, version: string): Buffer {
  const count = font.readUInt16BE(4);
  const tables = Array.from({ length: count }, (_, i) => {
    const at = 12 + i * 16;
    const tag = font.toString('latin1', at, at + 4);
    const offset = font.readUInt32BE(at + 8);
    return { tag, data: Buffer.from(font.subarray(offset, offset + font.readUInt32BE(at + 12))) };
  });
  const name = tables.find((t) => t.tag === 'name');
  if (!name) throw new Error('the font has no name table');
  const kept = [...windowsNames(name.data)].filter(([id]) => KEEP.has(id)).map(([nameId, text]) => ({ nameId, text }));
  name.data = nameTable([
    ...kept,
    { nameId: 1, text: family },
    { nameId: 2, text: 'Regular' },
    { nameId: 3, text: `${postScript};${version}` },
    { nameId: 4, text: `${family} Regular` },
    { nameId: 5, text: `Version ${version}` },
    { nameId: 6, text: postScript },
  ]);
  const head = tables.find((t) => t.tag === 'head');
  if (!head) throw new Error('the font has no head table');
  head.data.writeUInt32BE(0, 8);
  // The tables in tag order, each on a 4-byte boundary, after the directory.
  tables.sort((a, b) => (a.tag < b.tag ? -1 : 1));
  const directory = Buffer.alloc(12 + count * 16);
  font.copy(directory, 0, 0, 12);
  const bodies: Buffer[] = [];
  let offset = directory.length;
  tables.forEach((t, i) => {
    const at = 12 + i * 16;
    directory.write(t.tag, at, 'latin1');
    directory.writeUInt32BE(checksum(t.data), at + 4);
    directory.writeUInt32BE(offset, at + 8);
    directory.writeUInt32BE(t.data.length, at + 12);
    const padded = Buffer.concat([t.data, Buffer.alloc((4 - (t.data.length % 4)) % 4)]);
    bodies.push(padded);
    offset += padded.length;
  });
  const out = Buffer.concat([directory, ...bodies]);
  const headAt = directory.readUInt32BE(12 + tables.findIndex((t) => t.tag === 'head') * 16 + 8);
  out.writeUInt32BE((0xb1b0afba - checksum(out)) >>> 0, headAt + 8);
  return out;
}
