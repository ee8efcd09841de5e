// Signing in as a person would, on a phone, in French: a new user enrols a
// second factor; a code works once; ten wrong passwords lock the account.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, phonePage, screenshots, startDemo } from './harness.mjs';
import { totp, withLuhn } from './totp.mjs';

let server;
let browser;
const NEW_USER = 'ines.nouvel@demo.test';
const NEW_PASSWORD = 'un mot de passe bien long';

before(async () => {
  server = await startDemo();
  browser = await launchBrowser();
  const orgs = (await server.command('org', 'list', '--json')).trim().split('\n').map((l) => JSON.parse(l));
  const saulieu = orgs.find((o) => o.city === 'Saulieu');
  const passwordFile = join(server.dataDir, 'first-password.txt');
  writeFileSync(passwordFile, NEW_PASSWORD);
  await server.command('user', 'create', '--email', NEW_USER, '--given-names', 'Inès', '--family-name', 'Nouvel',
    '--profession', 'doctor', '--rpps', withLuhn('1099000077'), '--organization', saulieu.finess,
    '--role', 'requester', '--password-file', passwordFile);
});

after(async () => {
  await browser?.close();
  if (server) assert.equal(await server.stop(), 0);
});

async function submitPassword(page, email, password) {
  await page.goto(`${server.url}/connexion`);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Continuer' }).click();
}

test('a new user enrols TOTP at first sign-in, then a used code is refused', async () => {
  const page = await phonePage(browser);
  await submitPassword(page, NEW_USER, NEW_PASSWORD);
  assert.equal(new URL(page.url()).pathname, '/connexion/enrolement');
  assert.ok(await page.locator('.qr svg').isVisible(), 'a QR code to scan');
  const secret = (await page.locator('#totp-secret').innerText()).trim();
  await page.screenshot({ path: join(screenshots, 'enrolment-phone-fr.png'), fullPage: true });
  const code = totp(secret);
  await page.getByLabel('Premier code à 6 chiffres').fill(code);
  await page.getByRole('button', { name: 'Activer et se connecter' }).click();
  assert.equal(new URL(page.url()).pathname, '/accueil');
  assert.ok(await page.getByRole('heading', { name: 'Bonjour Inès Nouvel' }).isVisible());
  await page.screenshot({ path: join(screenshots, 'home-signed-in-phone-fr.png'), fullPage: true });

  // On a phone the header's links are behind "Menu".
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  assert.equal(new URL(page.url()).pathname, '/');
  await submitPassword(page, NEW_USER, NEW_PASSWORD);
  assert.equal(new URL(page.url()).pathname, '/connexion/code');
  await page.getByLabel('Code à 6 chiffres de votre application').fill(code);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  assert.match(await page.getByRole('alert').innerText(), /déjà servi/);
  await page.screenshot({ path: join(screenshots, 'code-replayed-phone-fr.png') });
});

test('a demo requester signs in and opens one of her cases', async () => {
  const page = await phonePage(browser);
  const demo = (await server.command('user', 'list', '--json')).trim().split('\n').map((l) => JSON.parse(l))
    .find((u) => u.email === 'claire.martin@demo.test');
  await submitPassword(page, demo.email, demo.password);
  await page.getByLabel('Code à 6 chiffres de votre application').fill(totp(demo.totp_secret));
  await page.getByRole('button', { name: 'Se connecter' }).click();
  // The demo's first request (filed 20 hours before the first start).
  const link = page.getByRole('link', { name: /TE-\d{4}-0001/ });
  const reference = (await link.innerText()).match(/TE-\d{4}-0001/)[0];
  await link.click();
  assert.ok(await page.getByRole('heading', { name: `Dossier ${reference}` }).isVisible());
  assert.match(await page.locator('main').innerText(), /Identité qualifiée/);
  await page.screenshot({ path: join(screenshots, 'case-phone-fr.png'), fullPage: true });
});

test('five wrong passwords lock that account from this address for a while', async () => {
  const page = await phonePage(browser);
  for (let i = 0; i < 5; i += 1) {
    await submitPassword(page, 'pierre.roche@demo.test', 'pas le bon mot de passe');
    assert.match(await page.getByRole('alert').innerText(), /incorrect/);
  }
  await submitPassword(page, 'pierre.roche@demo.test', 'consilium-demo');
  assert.match(await page.getByRole('alert').innerText(), /trop de tentatives/);
  await page.screenshot({ path: join(screenshots, 'locked-phone-fr.png') });
});
