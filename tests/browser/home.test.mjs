// The home page as a person sees it, on a phone, in French and in English.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launchBrowser, phonePage, screenshots, startDemo } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startDemo();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (server) assert.equal(await server.stop(), 0, 'consilium exits cleanly on SIGTERM');
});

test('the home page is French, fits a phone and leads to sign-in', async () => {
  const page = await phonePage(browser);
  const problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(msg.text()); });
  page.on('pageerror', (err) => problems.push(err.message));
  const response = await page.goto(server.url);
  assert.equal(response.status(), 200);
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  await assert.doesNotReject(page.getByRole('heading', { level: 1, name: /spécialiste/ }).waitFor());
  const signIn = page.getByRole('link', { name: 'Se connecter' });
  assert.ok(await signIn.isVisible());
  const box = await signIn.boundingBox();
  assert.ok(box.height >= 44, `the sign-in button is a comfortable touch target (${box.height}px)`);
  assert.match(await page.locator('.figures').innerText(), /5\s+centres de ressources/);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling on a phone (${overflow}px too wide)`);
  const stylesApplied = await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')).display);
  assert.equal(stylesApplied, 'flex', 'the stylesheet loads under the CSP');
  await page.screenshot({ path: join(screenshots, 'home-phone-fr.png'), fullPage: true });
  assert.deepEqual(problems, [], 'no console errors (CSP violations show up here)');
});

test('English is one tap away and sticks to the request', async () => {
  const page = await phonePage(browser, 'en-GB');
  await page.goto(server.url);
  assert.equal(await page.getAttribute('html', 'lang'), 'en', 'an English browser gets English');
  await page.getByRole('link', { name: 'Français' }).click();
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  assert.ok(await page.getByRole('link', { name: 'Se connecter' }).isVisible());
  await page.screenshot({ path: join(screenshots, 'home-phone-en-switch.png') });
});

test('an unknown address shows a French page with a way back', async () => {
  const page = await phonePage(browser);
  const response = await page.goto(`${server.url}/nulle-part`);
  assert.equal(response.status(), 404);
  assert.ok(await page.getByRole('heading', { name: 'Page introuvable' }).isVisible());
  await page.getByRole('link', { name: "Retour à l'accueil" }).click();
  assert.equal(new URL(page.url()).pathname, '/');
});
