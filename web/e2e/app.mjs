// The web app end to end in headless Chromium (Debian's, driven by playwright-core), against a running local stack:
//   node web/e2e/app.mjs APP_URL SCREENSHOT_DIR
// Signs in as the demo user; adds (after a field error), edits and deletes a transaction, watching the dashboard's
// numbers follow; imports a 2,000-row file and follows the bar to 100%; exports and downloads; sees another client's
// create appear without a reload; switches to zh-CN. Screenshots at 1280×800 and 390×844 of each step go to
// SCREENSHOT_DIR. Throws on the first expectation that fails; prints one JSON line of figures at the end.
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [appUrl, shots] = process.argv.slice(2);
if (!appUrl || !shots) {
  console.error('usage: node web/e2e/app.mjs APP_URL SCREENSHOT_DIR');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
const origin = new URL(appUrl).origin;
const run = Date.now().toString(36);
const figures = { screenshots: [] };
const today = new Date().toISOString().slice(0, 10);
const month = today.slice(0, 7);

function expect(condition, message) {
  if (!condition) throw new Error(`expectation failed: ${message}`);
}

/** Minor units of a formatted amount ("CN¥1,234.50" → 123450n), as the app shows it. */
function minor(text) {
  const digits = text.replace(/[^0-9.\-−]/g, '').replace('−', '-');
  const [whole, fraction = ''] = digits.split('.');
  return BigInt(whole + fraction.padEnd(2, '0').slice(0, 2));
}

/** The 2,000-row Tally CSV: 12 months of spending and income, 25 rows with a bad amount, 20 in USD today. */
function importFile() {
  const categories = ['餐饮', '交通', '购物', '住房', '娱乐', '医疗'];
  const lines = ['date,type,amount,currency,category,note'];
  const now = new Date(`${today}T00:00:00Z`);
  for (let i = 0; i < 2000; i++) {
    const usd = i % 100 === 50;
    const day = new Date(now);
    // 353 days back and round: a prime, so every kind of row lands in every month, the current one included.
    day.setUTCDate(now.getUTCDate() - (usd ? 0 : i % 353));
    const date = day.toISOString().slice(0, 10);
    const income = i % 40 === 0;
    const amount = i % 80 === 7 ? 'abc' : income ? `${8000 + (i % 7) * 250}.00` : `${(i * 37) % 300 + 5}.${String(i % 100).padStart(2, '0')}`;
    lines.push([date, income ? 'income' : 'expense', amount, usd ? 'USD' : 'CNY', income ? '工资' : categories[i % 6],
      `e2e ${run} #${i}`].join(','));
  }
  return lines.join('\n') + '\n';
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const errors = [];
const offsite = [];
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('dialog', (dialog) => dialog.accept());
  await page.route('**/*', (route) => {
    const target = new URL(route.request().url());
    // The app's origin, and the export's presigned link (the local S3 emulator): nothing else, no CDN.
    if (target.origin === origin || target.hostname === '127.0.0.1') return route.continue();
    offsite.push(target.href);
    return route.abort();
  });
  let language = 'en';

  async function shoot(name) {
    await page.waitForTimeout(50);
    for (const [width, height] of [[1280, 800], [390, 844]]) {
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(120);
      const file = join(shots, `${name}-${language}-${width}x${height}.png`);
      await page.screenshot({ path: file, fullPage: true });
      figures.screenshots.push(file);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  async function dashboard(forMonth = month) {
    await page.goto(`${appUrl}#/?month=${forMonth}`);
    await page.waitForSelector('.dashboard[aria-busy="false"] > *');
  }

  async function transactionsOf(category) {
    await page.goto(`${appUrl}#/transactions`);
    await page.fill('#filter-category', category);
    await page.click('.filters button[type="submit"]');
    await page.waitForSelector('#tx-list .row');
  }

  async function expenseShown() {
    const figure = page.locator('.totals[data-currency="CNY"] [data-figure="expense"]');
    return (await figure.count()) ? minor(await figure.first().innerText()) : 0n;
  }

  // --- sign in, first render --------------------------------------------------------------------------------------
  await page.goto(appUrl);
  await shoot('sign-in');
  await page.click('#sign-in');
  await page.waitForSelector('.dashboard[aria-busy="false"] > *');
  // First render as a first visit sees it: nothing cached, so the page, the script and the reads all count.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.clearBrowserCache');
  await page.reload();
  await page.waitForFunction(() => performance.getEntriesByName('tally:dashboard-rendered').length > 0);
  figures.firstRenderMs = Math.round(await page.evaluate(
    () => performance.getEntriesByName('tally:dashboard-rendered')[0].startTime));
  const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('tally.token')).token);
  if (await page.locator('.empty-state').count()) await shoot('dashboard-empty');
  const before = await expenseShown();

  // --- add (after a field error), edit, delete -------------------------------------------------------------------
  // A category of this run's own, filtered on: the list holds only what this test adds.
  const category = `lunch-${run}`;
  await page.goto(`${appUrl}#/transactions`);
  await page.fill('#filter-category', category);
  await page.click('.filters button[type="submit"]');
  await page.waitForSelector('#tx-list .empty');
  await page.click('#add-transaction');
  await page.fill('#tx-amount', '12.345');
  await page.fill('#tx-category', category);
  await page.fill('#tx-date', today);
  await page.click('#tx-save');
  await page.waitForSelector('#tx-amount-error:not(:empty)');
  expect(await page.getAttribute('#tx-amount', 'aria-invalid') === 'true', 'the amount is marked invalid');
  figures.fieldError = await page.innerText('#tx-amount-error');
  await shoot('field-error');
  await page.fill('#tx-amount', '42.50');
  await page.fill('#tx-note', `e2e ${run} lunch`);
  // A double click sends the same body twice with the same Idempotency-Key: one transaction.
  await page.dblclick('#tx-save');
  await page.waitForSelector('dialog[open]', { state: 'detached' }).catch(() => {});
  await page.waitForFunction(() => !document.querySelector('dialog')?.open);
  await page.waitForSelector(`#tx-list .row:has-text("e2e ${run} lunch")`);
  expect(await page.locator(`#tx-list .row:has-text("e2e ${run} lunch")`).count() === 1, 'one transaction after a double click');
  await shoot('transactions');
  await dashboard();
  expect(await expenseShown() - before === 4250n, `expense grew by 42.50 (before ${before}, now ${await expenseShown()})`);

  await transactionsOf(category);
  await page.click(`#tx-list .row:has-text("e2e ${run} lunch") .edit`);
  await page.fill('#tx-amount', '50.00');
  await shoot('edit');
  await page.click('#tx-save');
  await page.waitForFunction(() => !document.querySelector('dialog')?.open);
  await dashboard();
  expect(await expenseShown() - before === 5000n, 'expense follows the edit to 50.00');

  await transactionsOf(category);
  await page.click(`#tx-list .row:has-text("e2e ${run} lunch") .edit`);
  await page.click('#tx-delete');
  await page.waitForFunction(() => !document.querySelector('dialog')?.open);
  await page.waitForSelector(`#tx-list .row:has-text("e2e ${run} lunch")`, { state: 'detached' });
  await dashboard();
  expect(await expenseShown() === before, 'expense is back after the delete');

  // --- import 2,000 rows --------------------------------------------------------------------------------------------
  await page.goto(`${appUrl}#/import`);
  await shoot('import-empty');
  await page.setInputFiles('#import-file', { name: 'e2e-2000.csv', mimeType: 'text/csv', buffer: Buffer.from(importFile()) });
  await page.waitForSelector('#start-import', { timeout: 60_000 });
  figures.dryRun = Object.fromEntries(await page.$$eval('#dry-run [data-fact]',
    (facts) => facts.map((fact) => [fact.dataset.fact, fact.querySelector('dd').textContent])));
  expect(figures.dryRun.total === '2,000' && figures.dryRun.invalid === '25', `dry run counts ${JSON.stringify(figures.dryRun)}`);
  await shoot('import-dry-run');
  await page.evaluate(() => {
    window.seenPercents = [];
    new MutationObserver(() => {
      const bar = document.getElementById('import-progress');
      if (bar) window.seenPercents.push(Number(bar.getAttribute('aria-valuenow')));
    }).observe(document.getElementById('import-output'), { subtree: true, attributes: true, childList: true });
  });
  const started = Date.now();
  await page.click('#start-import');
  await page.waitForSelector('#import-run[data-status]', { timeout: 120_000 });
  figures.importSeconds = (Date.now() - started) / 1000;
  figures.importPercents = [...new Set(await page.evaluate(() => window.seenPercents))];
  expect(await page.getAttribute('#import-progress', 'aria-valuenow') === '100', 'the bar reaches 100%');
  figures.importSummary = Object.fromEntries(await page.$$eval('#import-run [data-fact]',
    (facts) => facts.map((fact) => [fact.dataset.fact, fact.querySelector('dd').textContent])));
  const s = figures.importSummary;
  expect(s.total === '2,000' && s.imported === '1,975' && s.invalid === '25' && s.duplicates === '0',
    `import counts ${JSON.stringify(s)}`);
  await page.waitForSelector('#import-run #row-errors tbody tr');
  expect(await page.locator('#import-run #row-errors tbody tr').count() === 20, 'a page of 20 row errors');
  await page.click('#import-run #errors-next');
  await page.waitForSelector('#import-run #errors-page:has-text("2")');
  expect(await page.locator('#import-run #row-errors tbody tr').count() === 5, 'the second page has the other 5');
  await shoot('import-done');

  await dashboard();
  const afterImport = await expenseShown();
  expect(afterImport > before, `the import shows on the dashboard (expense ${before} before, ${afterImport} after)`);
  await shoot('dashboard');

  // --- export and download -------------------------------------------------------------------------------------
  await page.goto(`${appUrl}#/export`);
  const from = new Date(Date.now() - 370 * 86_400_000).toISOString().slice(0, 10);
  await page.fill('#export-from', from);
  await page.fill('#export-to', today);
  await page.click('#export-start');
  await page.waitForSelector('#export-download', { timeout: 120_000 });
  const rowsShown = Number((await page.innerText('#export-run [data-fact="rows"] dd')).replace(/\D/g, ''));
  await shoot('export');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-download')]);
  const exported = readFileSync(await download.path(), 'utf8').trim().split('\n');
  figures.exportRows = exported.length - 1;
  expect(exported[0].startsWith('id,date') || exported[0].includes('date'), `export header ${exported[0]}`);
  expect(figures.exportRows === rowsShown && rowsShown >= 1975, `exported ${figures.exportRows} rows, shown ${rowsShown}`);

  // --- another client's create appears live --------------------------------------------------------------------
  await dashboard();
  figures.liveMode = await page.getAttribute('#live-state', 'data-mode');
  const note = `e2e ${run} from another client`;
  const shownBeforeLive = await expenseShown();
  const sent = Date.now();
  const created = await fetch(`${origin}/transactions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': `e2e-${run}-live` },
    body: JSON.stringify({ amount: '7.00', type: 'expense', category: '交通', date: today, note }),
  });
  expect(created.status === 201, `the other client's create answered ${created.status}`);
  // The month's spending moves by the other client's 7.00 without a reload (the newest-10 list may not have room for
  // it among the rows imported for today).
  while (await expenseShown() !== shownBeforeLive + 700n) {
    expect(Date.now() - sent < 15_000, `the other client's create did not show in 15 s (${figures.liveMode})`);
    await page.waitForTimeout(100);
  }
  figures.liveMs = Date.now() - sent;

  // --- profile, then every page in Chinese ------------------------------------------------------------------------
  await page.goto(`${appUrl}#/profile`);
  await page.fill('#profile-name', 'Demo 用户');
  await page.click('#profile-save');
  await page.waitForSelector('#profile-status:not(:empty)');
  await shoot('profile');
  await dashboard();
  await page.selectOption('#language', 'zh-CN');
  language = 'zh-CN';
  await page.waitForSelector('nav a[aria-current="page"]:has-text("概览")');
  expect(await page.getAttribute('html', 'lang') === 'zh-CN', 'the page says it is in Chinese');
  await page.waitForSelector('.dashboard[aria-busy="false"] > *');
  await shoot('dashboard');
  await page.goto(`${appUrl}#/transactions`);
  await page.waitForSelector('#tx-list .row');
  await shoot('transactions');
  await page.click('#add-transaction');
  await page.fill('#tx-amount', '');
  await page.click('#tx-save');
  await page.waitForSelector('#tx-amount-error:not(:empty)');
  await shoot('field-error');
  await page.keyboard.press('Escape');
  await page.goto(`${appUrl}#/import`);
  await page.setInputFiles('#import-file', { name: 'e2e-2000.csv', mimeType: 'text/csv', buffer: Buffer.from(importFile()) });
  await page.waitForSelector('#start-import', { timeout: 60_000 });
  await shoot('import-dry-run');
  await page.goto(`${appUrl}#/export`);
  await shoot('export');
  await page.goto(`${appUrl}#/profile`);
  await shoot('profile');

  expect(errors.length === 0, `page errors: ${errors.join('; ')}`);
  expect(offsite.length === 0, `requests to other hosts: ${offsite.join(', ')}`);
  console.log(JSON.stringify(figures));
} finally {
  await browser.close();
}
