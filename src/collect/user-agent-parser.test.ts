import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createUserAgentParser } from './user-agent-parser.ts';

const cases: [string, string, { type: string; os?: string; browser?: string }][] = [
  [
    'desktop Chrome on Windows',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
    { type: 'desktop', os: 'Windows', browser: 'Chrome' },
  ],
  [
    'iPhone Safari',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
    { type: 'mobile', os: 'iOS', browser: 'Mobile Safari' },
  ],
  [
    'iPad',
    'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
    { type: 'tablet', os: 'iOS', browser: 'Mobile Safari' },
  ],
  ['Googlebot', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', { type: 'bot' }],
  [
    'Googlebot smartphone (a phone agent that is a bot)',
    'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.216 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    { type: 'bot', os: 'Android', browser: 'Chrome' },
  ],
  ['bingbot', 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', { type: 'bot' }],
  [
    'headless Chrome',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36',
    { type: 'bot', os: 'Linux', browser: 'Chrome Headless' },
  ],
  [
    'Samsung smart TV',
    'Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) 76.0.3809.146/6.0 TV Safari/537.36',
    { type: 'tv', os: 'Tizen', browser: 'Safari' },
  ],
  [
    'Android phone',
    'Mozilla/5.0 (Linux; Android 13; SM-S901B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Mobile Safari/537.36',
    { type: 'mobile', os: 'Android', browser: 'Chrome' },
  ],
  [
    'Cubot phone (not a bot despite the name)',
    'Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/90.0.4430.91 Mobile Safari/537.36',
    { type: 'mobile', os: 'Android', browser: 'Chrome' },
  ],
  [
    'PlayStation console',
    'Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.0 Safari/605.1.15',
    { type: 'other', os: 'PlayStation', browser: 'Safari' },
  ],
  ['curl', 'curl/8.4.0', { type: 'bot' }],
  ['unknown agent', 'something', { type: 'other' }],
];

for (const [name, ua, expected] of cases) {
  void test(`createUserAgentParser: ${name} -> ${expected.type}`, () => {
    assert.deepEqual({ ...createUserAgentParser(10)(ua) }, expected);
  });
}

void test('createUserAgentParser caches: the same agent gives the same frozen object', () => {
  const parse = createUserAgentParser(100);
  const ua = cases[0]?.[1] ?? '';
  const first = parse(ua);
  assert.equal(parse(ua), first);
  assert.ok(Object.isFrozen(first));
  assert.deepEqual(parse(''), {});
});
