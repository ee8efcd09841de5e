// Every kind of page, as each role sees it on a 390 px phone: nothing may be
// wider than the screen (a clipped advice is an advice half read). A
// screenshot of each is kept.
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

/** Opens `path` and fails if the document is wider than the viewport. */
async function fits(page, role, name, path) {
  const response = await page.goto(`${server.url}${path}`);
  assert.ok(response.ok(), `${role} ${path}: ${response.status()}`);
  // A phone widens its layout viewport to fit wide content (and shrinks the
  // text): compare with the device's width, not window.innerWidth.
  const viewport = page.viewportSize().width;
  const scroll = await page.evaluate(() => Math.max(
    document.documentElement.scrollWidth,
    document.body.scrollWidth,
    window.innerWidth,
  ));
  await page.screenshot({ path: join(screenshots, `phone-${role}-${name}.png`), fullPage: true });
  assert.ok(scroll <= viewport, `${role} ${path} is ${scroll} px wide on a ${viewport} px screen`);
}

/** The first request linked from the current page. */
async function firstCase(page) {
  return page.locator('a[href^="/dossiers/"]').first().getAttribute('href');
}

test('signed out: the home and sign-in pages fit a phone', async () => {
  const page = await phonePage(browser);
  await fits(page, 'visitor', 'home', '/');
  await fits(page, 'visitor', 'sign-in', '/connexion');
});

test('a GP: header menu, home, new request, a request, notifications, account', async () => {
  const page = await phonePage(browser);
  await signIn(page, server, user('claire.martin'), totp);
  // She is also her site's admin: one header row, the rest behind "Menu",
  // which a keyboard opens.
  const header = page.locator('header.site-header');
  const height = (await header.boundingBox()).height;
  assert.ok(height <= 80, `the header is ${height} px high`);
  assert.equal(await page.getByRole('link', { name: 'Journal' }).isVisible(), false, 'folded');
  const menu = page.getByRole('button', { name: 'Menu' });
  await menu.focus();
  await page.keyboard.press('Enter');
  assert.equal(await menu.getAttribute('aria-expanded'), 'true');
  await page.getByRole('link', { name: 'Journal' }).waitFor();
  await page.screenshot({ path: join(screenshots, 'phone-gp-menu-open.png') });
  await fits(page, 'gp', 'home', '/accueil');
  const request = await firstCase(page);
  await fits(page, 'gp', 'new-request', '/demandes/nouvelle');
  await fits(page, 'gp', 'case', request);
  await fits(page, 'gp', 'notifications', '/notifications');
  await fits(page, 'gp', 'mail-settings', '/compte/notifications');
  await fits(page, 'gp', 'password', '/compte/mot-de-passe');
  await fits(page, 'gp', 'site-staff', '/admin/utilisateurs');
});

test('an expert: the queue and a request to answer', async () => {
  const page = await phonePage(browser);
  await signIn(page, server, user('sophie.lambert'), totp);
  await fits(page, 'expert', 'queue', '/file-attente');
  await fits(page, 'expert', 'case-to-answer', await firstCase(page));
});

test('a GP reads an answered request and its report list', async () => {
  const page = await phonePage(browser);
  // Hugo Ménard's infectiology request was answered and closed.
  await signIn(page, server, user('hugo.menard'), totp);
  await fits(page, 'gp', 'answered-case', await firstCase(page));
  assert.match(await page.locator('main').innerText(), /Érysipèle/);
});

test('a coordinator: queue, request, journal, staff, dashboards', async () => {
  const page = await phonePage(browser);
  await signIn(page, server, user('celine.fournier'), totp);
  await fits(page, 'coordinator', 'queue', '/file-attente');
  const request = await firstCase(page);
  await fits(page, 'coordinator', 'case', request);
  await fits(page, 'coordinator', 'journal', '/journal');
  await fits(page, 'coordinator', 'staff', '/admin/utilisateurs');
  await fits(page, 'coordinator', 'stats', '/stats');
});

test('the regional admin: dashboards', async () => {
  const page = await phonePage(browser);
  await signIn(page, server, user('helene.garnier'), totp);
  await fits(page, 'region', 'stats', '/stats');
  await fits(page, 'region', 'home', '/accueil');
});
