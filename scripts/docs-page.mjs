// Renders the docs page in headless Chromium (Debian's, driven by playwright-core) and reports what a reader sees:
//   node scripts/docs-page.mjs URL SCREENSHOT.png
// prints {"title", "operations": ["GET /me", ...], "offsite": [requests to any other host], "errors": [page errors]}.
// Requests to other hosts are blocked and listed: the page must work offline.
import { chromium } from 'playwright-core';

const [url, screenshot] = process.argv.slice(2);
if (!url || !screenshot) {
  console.error('usage: node scripts/docs-page.mjs URL SCREENSHOT.png');
  process.exit(2);
}
const origin = new URL(url).origin;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  // Chromium's own background traffic is refused on a closed network; these keep it quiet.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const offsite = [];
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.route('**/*', (route) => {
    const target = route.request().url();
    if (new URL(target).origin === origin) {
      return route.continue();
    }
    offsite.push(target);
    return route.abort();
  });
  await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
  await page.waitForSelector('.opblock .opblock-summary-path', { timeout: 30_000 });
  const operations = await page.$$eval('.opblock', (blocks) => blocks.map((block) => {
    const method = block.querySelector('.opblock-summary-method')?.textContent ?? '';
    const path = block.querySelector('.opblock-summary-path');
    return `${method.trim().toUpperCase()} ${(path?.getAttribute('data-path') ?? path?.textContent ?? '').replace(/\u200b/g, '').trim()}`;
  }));
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(JSON.stringify({ title: await page.title(), operations, offsite, errors }));
} finally {
  await browser.close();
}
