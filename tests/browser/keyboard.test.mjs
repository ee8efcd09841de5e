// A GP files a dermatology request with the keyboard alone — Tab, arrows,
// Space, Enter and typing; no click, no fill — from signing in to sending,
// photo included (the file chooser opens from the keyboard). Where focus
// stands must always be visible: the screenshot of each step shows it, and
// the test checks the focused element has an outline.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { demoUsers, drawPhotos, launchBrowser, screenshots, startDemo } from './harness.mjs';
import { totp } from './totp.mjs';

let server;
let browser;

before(async () => {
  server = await startDemo();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (server) assert.equal(await server.stop(), 0);
});

/** What has focus: its tag, type, name, value, and its label's text. */
function focused(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return { text: '' };
    const label = e.labels && e.labels[0] ? e.labels[0].innerText : '';
    const style = getComputedStyle(e);
    const outlined = style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 2;
    const holder = e.closest('label');
    const holderOutlined = holder && getComputedStyle(holder).outlineStyle !== 'none';
    return {
      tag: e.tagName.toLowerCase(),
      type: e.type || '',
      name: e.name || '',
      value: e.value || '',
      text: `${label} ${e.innerText || ''} ${e.getAttribute('aria-label') || ''}`.trim(),
      visible: Boolean(outlined || holderOutlined),
    };
  });
}

/** Presses Tab until `wanted(focused)` holds; fails after `limit` presses. */
async function tabTo(page, what, wanted, limit = 80) {
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (wanted(f)) {
      assert.ok(f.visible, `focus on ${what} is visible`);
      return f;
    }
  }
  throw new Error(`Tab never reached ${what}`);
}

/** In a radio group, arrows move (and choose) until the label matches. */
async function arrowTo(page, what, pattern, limit = 12) {
  for (let i = 0; i < limit; i += 1) {
    const f = await focused(page);
    if (pattern.test(f.text)) return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`arrows never reached ${what}`);
}

const byName = (name) => (f) => f.name === name;
const byText = (pattern) => (f) => pattern.test(f.text);

test('a GP files a request with the keyboard alone', async () => {
  const claire = (await demoUsers(server)).find((u) => u.email === 'claire.martin@demo.test');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto(`${server.url}/connexion`);
  await tabTo(page, 'the e-mail field', byText(/Adresse e-mail/));
  await page.keyboard.type(claire.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(claire.password);
  await page.keyboard.press('Enter');
  await page.waitForURL(/connexion\/code/);
  await tabTo(page, 'the code field', byText(/Code à 6 chiffres/));
  await page.keyboard.type(totp(claire.totp_secret));
  await page.keyboard.press('Enter');
  await page.waitForURL(/accueil/);

  // The skip link comes first, and leads past the header.
  await page.keyboard.press('Tab');
  assert.match((await focused(page)).text, /Aller au contenu/);
  await page.screenshot({ path: join(screenshots, 'keyboard-skip-link.png') });
  await tabTo(page, '"Nouvelle demande"', byText(/Nouvelle demande/));
  await page.keyboard.press('Enter');
  await page.waitForURL(/demandes\/nouvelle/);
  await tabTo(page, 'the specialties', byName('specialty'));
  await arrowTo(page, 'Dermatologie', /Dermatologie/);
  await page.keyboard.press('Space');
  await tabTo(page, 'the patients', byName('patient'));
  await arrowTo(page, 'Jeanne Moreau', /Moreau Jeanne Marie/);
  await page.keyboard.press('Space');
  await page.screenshot({ path: join(screenshots, 'keyboard-new-request.png') });
  await tabTo(page, '"Continuer"', byText(/Continuer/));
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/demandes\/[0-9a-f-]{36}/);

  // The questionnaire.
  const answer = async (name, pattern) => {
    await tabTo(page, name, byName(name));
    if (pattern) await arrowTo(page, name, pattern);
    const f = await focused(page);
    if (f.type === 'checkbox' || f.type === 'radio') await page.keyboard.press('Space');
  };
  await answer('consent');
  await tabTo(page, 'the question', byName('question'));
  await page.keyboard.type('Lésion pigmentée du dos qui grandit : mélanome ?');
  await answer('history');
  await answer('treatments');
  await answer('allergies');
  await tabTo(page, 'the location', byName('body_site'));
  await page.keyboard.type('Dos, omoplate gauche');
  await answer('duration', /6 à 12 mois/);
  await answer('evolution', /Augmente de taille/);
  await tabTo(page, 'the symptoms', (f) => f.name === 'symptoms' && f.value === 'itch');
  await page.keyboard.press('Space');
  await answer('phototype', /brûle souvent/);
  await answer('skin_cancer_history', /Familial$/);
  // The photo: the chooser opens from the keyboard.
  const picker = await tabTo(page, '"Prendre une photo"', (f) => f.type === 'file');
  assert.equal(picker.type, 'file');
  await page.screenshot({ path: join(screenshots, 'keyboard-photo-button.png') });
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
  await chooser.setFiles(await drawPhotos(page, 1));
  await page.locator('.uploads li.done').first().waitFor({ timeout: 60_000 });
  await tabTo(page, '"Envoyer la demande"', byText(/Envoyer la demande/));
  await page.screenshot({ path: join(screenshots, 'keyboard-send.png') });
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/dossiers\//);
  assert.match(await page.locator('main').innerText(), /Envoyée, en attente de prise en charge/);
});
