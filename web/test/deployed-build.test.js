// The deployed build has no local sign-in and no local address; the local build does sign in locally (so the search
// below would find it if the define stopped working). Both stay within the JavaScript budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BUDGET_GZIP_BYTES, build } from '../build.mjs';

const LOCAL_TRACES = [/_local/, /localhost/i, /127\.0\.0\.1/, /\[::1]/, /demo[ -]user/i, /演示用户/, /\bLOCAL\b/];

function siteText(variant) {
  const dir = new URL(`../dist/${variant}/`, import.meta.url).pathname;
  const assets = readdirSync(join(dir, 'assets')).map((name) => readFileSync(join(dir, 'assets', name), 'utf8'));
  return [readFileSync(join(dir, 'index.html'), 'utf8'), ...assets].join('\n');
}

test('the deployed build contains no local sign-in code and no localhost URL', async () => {
  const { gzipped } = await build('deployed');
  const text = siteText('deployed');
  for (const trace of LOCAL_TRACES) assert.doesNotMatch(text, trace);
  assert.match(text, /oauth2\/authorize/, 'the deployed build signs in through the hosted UI');
  assert.ok(gzipped <= BUDGET_GZIP_BYTES, `deployed JavaScript ${gzipped} B gzipped`);
});

test('the local build signs in as the demo user through the local stack', async () => {
  const { gzipped } = await build('local');
  const text = siteText('local');
  assert.match(text, /\/_local\/token/);
  assert.match(text, /Sign in as demo user/);
  assert.doesNotMatch(text, /oauth2\/authorize/, 'the local build has no hosted UI sign-in');
  assert.ok(gzipped <= BUDGET_GZIP_BYTES, `local JavaScript ${gzipped} B gzipped`);
});
