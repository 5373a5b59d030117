import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readLinkFile } from './id-link-file.ts';

const HASH = '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8';
const MAID = '6d92078a-8246-4ba4-ae5b-76104861e7dc';

function file(text: string, format: 'csv' | 'tsv' = 'csv') {
  const read = readLinkFile(text, format);
  assert.ok(read.ok, read.ok ? '' : read.error);
  return read.file;
}

function headerError(text: string): string {
  const read = readLinkFile(text, 'csv');
  assert.ok(!read.ok, 'the header is refused');
  return read.error;
}

void describe('readLinkFile', () => {
  void it('reads rows of IDs in their kept form, with a BOM, CRLF, quotes and blank lines', () => {
    const f = file(
      `\uFEFFcrm,email_sha256,maid\r\nC-1001,${HASH},${MAID.toUpperCase()}\r\n\r\n"C,1002",,6d92078a82464ba4ae5b76104861e7dc\n`,
    );
    assert.deepEqual(f.types, ['crm', 'email_sha256', 'maid']);
    assert.deepEqual(f.rows, [
      {
        row: 2,
        ids: [
          ['crm', 'C-1001'],
          ['email_sha256', HASH],
          ['maid', MAID],
        ],
      },
      {
        row: 4,
        ids: [
          ['crm', 'C,1002'],
          ['maid', MAID],
        ],
      },
    ]);
    assert.equal(f.read, 2);
    assert.equal(f.rejected, 0);
  });

  void it('reads tab-separated files', () => {
    const f = file(`crm\tmaid\nC-1\t${MAID}\n`, 'tsv');
    assert.deepEqual(f.rows, [
      {
        row: 2,
        ids: [
          ['crm', 'C-1'],
          ['maid', MAID],
        ],
      },
    ]);
  });

  void it('rejects a row with a bad cell by row and column, keeps the rows beside it, counts rows with one ID', () => {
    const f = file(
      [
        'crm,email_sha256,maid',
        `C-1,${HASH},`,
        'C-2,ann@example.com,',
        'C-3,,',
        `C-4,,not-a-maid`,
        'C-5,,,',
        `C-6,${HASH},`,
      ].join('\n'),
    );
    assert.deepEqual(
      f.rows.map((r) => r.row),
      [2, 7],
    );
    assert.equal(f.read, 6);
    assert.equal(f.tooFewIds, 1);
    assert.equal(f.rejected, 3);
    assert.deepEqual(
      f.errors.map((e) => [e.row, e.column]),
      [
        [3, 'email_sha256'],
        [5, 'maid'],
        [6, ''],
      ],
    );
    assert.match(f.errors[0]!.error, /takes a hash, not a clear e-mail address.*sha256sum/);
    assert.doesNotMatch(f.errors[0]!.error, /ann@example/, 'the address is not echoed');
    assert.match(f.errors[2]!.error, /4 fields and the header 3/);
  });

  void it('lists the first 100 errors and counts them all', () => {
    const f = file(['crm,maid', ...Array.from({ length: 150 }, (_, i) => `C-${i},bad`)].join('\n'));
    assert.equal(f.rejected, 150);
    assert.equal(f.errors.length, 100);
  });

  void it('refuses a header that is empty, too short or long, repeats a type, or names clear PII', () => {
    assert.match(headerError(''), /empty.*crm,email_sha256,maid/);
    assert.match(headerError('crm\nC-1\n'), /names 1 ID type; a link file has 2 to 8/);
    assert.match(headerError(Array.from({ length: 9 }, (_, i) => `t${i}`).join(',')), /names 9 ID types/);
    assert.match(headerError('crm,crm\n'), /crm is named twice/);
    assert.match(headerError('crm,email\n'), /name it email_sha256 and send hashes: trim the address/);
    assert.match(headerError('crm,Email-SHA256\n'), /may only hold lower-case letters.*email_sha256/);
    assert.match(headerError('crm,"maid\n'), /broken quote/);
  });
});
