// The regional dashboard on a phone: a year of (synthetic) activity for the
// five centres, drawn as SVG on the server, with no patient named.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { demoUsers, launchBrowser, phonePage, screenshots, signIn, startDemo } from './harness.mjs';
import { totp } from './totp.mjs';

let server;
let browser;
let users;

before(async () => {
  server = await startDemo();
  browser = await launchBrowser();
  users = await demoUsers(server);
});

after(async () => {
  await browser?.close();
  if (server) assert.equal(await server.stop(), 0, 'consilium exits cleanly on SIGTERM');
});

const user = (email) => users.find((u) => u.email.startsWith(email));

test('the regional admin reads a year of activity on a phone', async () => {
  const page = await phonePage(browser);
  const problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(msg.text()); });
  page.on('pageerror', (err) => problems.push(err.message));
  await signIn(page, server, user('helene.garnier'), totp);
  // On a phone the header's links are behind "Menu".
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('link', { name: 'Statistiques' }).click();
  await page.waitForURL(/\/stats/);
  await page.getByRole('heading', { level: 1, name: 'Tableau de bord régional' }).waitFor();
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return Math.round(nav.responseStart - nav.requestStart);
  });
  console.log(`# /stats: ${timing} ms from request to first byte (debug build, demo region)`);
  assert.match(await page.locator('#synthetic').innerText(), /synthétiques/);
  const months = await page.locator('#months tbody tr').first().locator('td').first().innerText();
  assert.match(months, /^\d{4}-\d{2}$/);
  assert.equal(await page.locator('#months tbody tr').count(), 12);
  const quiet = await page.locator('#months tbody tr').evaluateAll((rows) => rows.filter((r) => r.cells[1].innerText === '0').length);
  assert.ok(quiet <= 1, `activity in every month but the last days (${quiet} empty)`);
  assert.equal(await page.locator('.chart svg').count(), 3, 'three charts drawn on the server: by month, time, by centre');
  assert.match(await page.locator('#months tbody tr').last().innerText(), /en cours/, 'the month not over is marked');
  const total = Number(await page.locator('#total').innerText());
  assert.ok(total >= 2500, `a year of history (${total} requests)`);
  assert.equal(await page.locator('#centres tbody tr').count(), 5, 'activity for the five centres');
  const centres = await page.locator('#centre option').count();
  assert.equal(centres, 6, 'five centres to filter on, and "all"');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling on a phone (${overflow}px too wide)`);
  await page.screenshot({ path: join(screenshots, 'stats-regional-fr.png'), fullPage: true });
  const text = await page.locator('main').innerText();
  assert.doesNotMatch(text, /MOREAU|SYNTHETIQUE|Patient \d{4}/, 'no patient identity on a dashboard');
  assert.deepEqual(problems, [], 'no console errors (CSP violations show up here)');
});
