import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ExportColumn } from './destination.ts';
import { csvField, formatRows } from './format-rows.ts';
import type { ExportRow } from './format-rows.ts';

const columns: ExportColumn[] = [
  { name: 'uid', from: 'id' },
  { name: 'type', from: 'id_type' },
  { name: 'ours', from: 'segments' },
  { name: 'theirs', from: 'segment_ids', separator: ',' },
  { name: 'op', from: 'action' },
  { name: 'at', from: 'timestamp' },
  { name: 'src', from: 'constant', value: 'opendmp' },
];
const rows: ExportRow[] = [
  {
    id: 'c-1',
    idType: 'uid',
    segments: ['a', 'b'],
    segmentIds: ['607', '243'],
    action: 'add',
    timestamp: 1763632800000,
  },
  { id: 'say "hi"', segments: [], action: 'remove' },
];

/** RFC 4180 read back: fields of each line, quotes undone (enough for the test's own output). */
function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && c === '"') quoted = false;
    else if (quoted) field += c;
    else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      out.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  return out;
}

void describe('csvField', () => {
  void it('quotes only what needs it', () => {
    const cases: [string, string][] = [
      ['plain', 'plain'],
      ['', ''],
      ['a,b', '"a,b"'],
      ['say "hi"', '"say ""hi"""'],
      ['two\nlines', '"two\nlines"'],
      ['cr\r', '"cr\r"'],
      [' padded', '" padded"'],
      ['padded ', '"padded "'],
      ['in side', 'in side'],
      ['=1+2', '=1+2'],
    ];
    for (const [text, expected] of cases) assert.equal(csvField(text), expected, JSON.stringify(text));
  });
});

void describe('formatRows', () => {
  void it('writes CSV in the template columns, with a header', () => {
    assert.equal(
      formatRows(rows, { format: 'csv', columns }),
      'uid,type,ours,theirs,op,at,src\n' +
        'c-1,uid,a|b,"607,243",add,2025-11-20T10:00:00.000Z,opendmp\n' +
        '"say ""hi""",,,,remove,,opendmp\n',
    );
    assert.deepEqual(parseCsv(formatRows(rows, { format: 'csv', columns }))[2]?.[0], 'say "hi"');
  });

  void it('leaves out the header when asked, and uses CRLF when asked', () => {
    assert.equal(
      formatRows(rows.slice(0, 1), { format: 'csv', columns: columns.slice(0, 1), header: false }),
      'c-1\n',
    );
    assert.equal(
      formatRows(rows, { format: 'csv', columns: columns.slice(0, 1), newline: '\r\n' }),
      'uid\r\nc-1\r\n"say ""hi"""\r\n',
    );
    assert.equal(formatRows([], { format: 'csv', columns, header: false }), '');
  });

  void it('writes NDJSON with lists as arrays and missing values as null', () => {
    const text = formatRows(rows, { format: 'ndjson', columns });
    assert.ok(text.endsWith('\n'));
    const lines = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    assert.deepEqual(lines, [
      {
        uid: 'c-1',
        type: 'uid',
        ours: ['a', 'b'],
        theirs: ['607', '243'],
        op: 'add',
        at: '2025-11-20T10:00:00.000Z',
        src: 'opendmp',
      },
      { uid: 'say "hi"', type: null, ours: [], theirs: [], op: 'remove', at: null, src: 'opendmp' },
    ]);
    assert.equal(
      formatRows([{ id: 'line\nbreak' }], { format: 'ndjson', columns: columns.slice(0, 1) }).split('\n')
        .length,
      2,
    );
  });

  void it('round-trips awkward IDs through CSV', () => {
    const awkward = ['a,b', '"', '""', 'x\ny', ' lead', 'trail ', 'ünï', ''];
    const text = formatRows(
      awkward.map((id) => ({ id })),
      { format: 'csv', columns: columns.slice(0, 1) },
    );
    assert.deepEqual(
      parseCsv(text).map((r) => r[0]),
      ['uid', ...awkward],
    );
  });
});
