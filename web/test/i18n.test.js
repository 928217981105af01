// Both languages have every text: a key missing in one would show the English text, or the key itself, to a reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import en from '../src/i18n/en.js';
import zh from '../src/i18n/zh-CN.js';

test('en and zh-CN have the same keys', () => {
  assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
});

test('every literal key the app asks for is in the tables', () => {
  const src = new URL('../src/', import.meta.url).pathname;
  const files = (function walk(dir) {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : path.endsWith('.js') ? [path] : [];
    });
  })(src);
  const asked = new Set();
  for (const file of files) {
    for (const match of readFileSync(file, 'utf8').matchAll(/\bt\('([^']+)'/g)) asked.add(match[1]);
  }
  const missing = [...asked].filter((key) => !(key in en));
  assert.deepEqual(missing, []);
  assert.ok(asked.size > 50, `found ${asked.size} keys`);
});
