import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { escapeHtml, optOutFormPage } from './opt-out-page.ts';

function unescape(html: string): string {
  return html.replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)));
}

void test('escapeHtml leaves no markup character and loses nothing, whatever the text', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme' }), (text) => {
      const escaped = escapeHtml(text);
      assert.equal(/[<>"']/.test(escaped), false);
      assert.equal(/&(?!#\d+;)/.test(escaped), false, 'every & starts a reference');
      assert.equal(unescape(escaped), text);
    }),
  );
});

void test('the form page carries its token only inside the quoted value', () => {
  const page = optOutFormPage('"><script>alert(1)</script>', false);
  assert.equal(page.includes('<script>'), false);
  assert.match(page, /name="token" value="&#34;&#62;&#60;script&#62;/);
});
