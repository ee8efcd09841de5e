// axe-core on each kind of page, as each role sees it: no serious or
// critical violation of WCAG 2.1 A/AA. The engine is injected by the test
// (the pages' CSP forbids inline script, so this context bypasses it; the
// pages themselves are unchanged).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { demoUsers, drawPhotos, launchBrowser, signIn, startDemo } from './harness.mjs';
import { totp } from './totp.mjs';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
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
  if (server) assert.equal(await server.stop(), 0);
});

const user = (email) => users.find((u) => u.email.startsWith(email));

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR', bypassCSP: true });
  return context.newPage();
}

/** Runs axe on the page as it stands; fails on serious or critical findings. */
async function audit(page, what) {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
  assert.deepEqual(violations, [], `${what}:\n${violations.join('\n')}`);
}

async function visit(page, path, what) {
  const response = await page.goto(`${server.url}${path}`);
  assert.ok(response.ok(), `${what}: ${response.status()}`);
  await audit(page, what);
}

test('signed out: home and sign-in', async () => {
  const page = await newPage();
  await visit(page, '/', 'home');
  await visit(page, '/connexion', 'sign-in');
  await visit(page, '/?lang=en', 'home in English');
});

test('a GP: home, new request, a draft with a photo, a request, notifications, staff', async () => {
  const page = await newPage();
  await signIn(page, server, user('claire.martin'), totp);
  await visit(page, '/?lang=fr', 'landing');
  await visit(page, '/accueil', 'GP home');
  const request = await page.locator('a[href^="/dossiers/"]').first().getAttribute('href');
  await visit(page, '/demandes/nouvelle', 'new request');
  await page.getByLabel('Dermatologie').check();
  await page.getByLabel(/Moreau Jeanne Marie/).check();
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.locator('#file-picker').setInputFiles(await drawPhotos(page, 1));
  await page.locator('.uploads li.done').first().waitFor({ timeout: 60_000 });
  await audit(page, 'a draft with a photo');
  // Removing it takes it off at once, and for good (the page's script
  // asks the server; a reload shows the same).
  await page.locator('.uploads li.done').getByRole('button', { name: 'Retirer' }).click();
  await page.locator('.uploads li').waitFor({ state: 'detached' });
  await page.reload();
  assert.equal(await page.locator('.uploads li').count(), 0, 'removed on the server too');
  await page.locator('#file-picker').setInputFiles(await drawPhotos(page, 1, 3));
  await page.locator('.uploads li.done').first().waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Envoyer la demande' }).click();
  await page.locator('.error-summary').waitFor();
  await audit(page, 'a draft with its error summary');
  await visit(page, request, 'GP request page');
  await visit(page, '/notifications', 'notifications');
  await visit(page, '/admin/utilisateurs', 'site staff');
});

test('an expert: the queue and a request', async () => {
  const page = await newPage();
  await signIn(page, server, user('sophie.lambert'), totp);
  await visit(page, '/file-attente', 'queue');
  const request = await page.locator('a[href^="/dossiers/"]').first().getAttribute('href');
  await visit(page, request, 'expert request page');
});

test('the regional admin: dashboards', async () => {
  const page = await newPage();
  await signIn(page, server, user('helene.garnier'), totp);
  await visit(page, '/stats', 'regional dashboard');
});
