// A GP files a dermatology request with three photos on a phone, as a person
// would, over a connection that drops once; one photo comes out blurred, is
// flagged, and she replaces it before sending. We count what it took
// (inputs and page loads).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { drawBlurredPhoto, drawPhotos, launchBrowser, phonePage, screenshots, startDemo } from './harness.mjs';
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

test('a demo GP files a dermatology request from her phone', async () => {
  const page = await phonePage(browser);
  let loads = 0;
  page.on('load', () => { loads += 1; });
  let inputs = 0;
  const act = async (fn) => { inputs += 1; await fn(); };
  const claire = (await server.command('user', 'list', '--json')).trim().split('\n').map((l) => JSON.parse(l))
    .find((u) => u.email === 'claire.martin@demo.test');
  await page.goto(`${server.url}/connexion`);
  await page.getByLabel('Adresse e-mail').fill(claire.email);
  await page.getByLabel('Mot de passe').fill(claire.password);
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByLabel('Code à 6 chiffres de votre application').fill(totp(claire.totp_secret));
  await page.getByRole('button', { name: 'Se connecter' }).click();
  const signInLoads = loads;

  inputs = 0;
  await act(() => page.getByRole('link', { name: 'Nouvelle demande' }).click());
  await act(() => page.getByLabel('Dermatologie').check());
  await act(() => page.getByLabel(/Moreau Jeanne Marie/).check());
  await act(() => page.getByRole('button', { name: 'Continuer' }).click());
  assert.ok(await page.getByRole('heading', { name: 'Télé-expertise — dermatologie' }).isVisible());
  const field = (name) => page.locator(`#field-${name}`);
  await act(() => field('consent').getByLabel('Oui').check());
  await act(() => field('question').locator('textarea').fill('Lésion pigmentée du dos qui grandit : mélanome ?'));
  await act(() => field('history').getByLabel('Aucun').check());
  await act(() => field('treatments').getByLabel('Aucun').check());
  await act(() => field('allergies').getByLabel('Aucune connue').check());
  await act(() => field('body_site').locator('input').fill('Dos, omoplate gauche'));
  await act(() => field('duration').getByLabel('6 à 12 mois').check());
  await act(() => field('evolution').getByLabel('Augmente de taille').check());
  await act(() => field('symptoms').getByLabel('Démangeaisons').check());
  await act(() => field('phototype').getByLabel(/brûle souvent/).check());
  await act(() => field('skin_cancer_history').getByLabel('Familial', { exact: true }).check());
  // Three photos, one blurred; the connection drops during the first chunk
  // of one of them. No location to type again: the questionnaire's is used.
  const files = [...await drawPhotos(page, 2), await drawBlurredPhoto(page)];
  let cut = 0;
  await page.route('**/files/*', (route) => {
    if (cut === 0 && route.request().method() === 'PATCH') {
      cut += 1;
      return route.abort('connectionreset');
    }
    return route.continue();
  });
  await act(() => page.locator('#file-picker').setInputFiles(files));
  await page.locator('.uploads li.done').nth(2).waitFor({ timeout: 60_000 });
  assert.equal(cut, 1, 'one upload was cut mid-way and resumed');
  assert.equal(await page.locator('.uploads li.done img').count(), 3, 'thumbnails of the cleaned photos');
  const rows = page.locator('.uploads li.done');
  assert.deepEqual(
    await rows.locator('select').evaluateAll((selects) => selects.map((s) => s.value)),
    ['overview', 'close_up', 'close_up'],
    'an overview first, then close-ups',
  );
  assert.equal(
    await rows.first().locator('input[name^=photo_site]').getAttribute('placeholder'),
    'Dos, omoplate gauche',
    "the questionnaire's location stands for each photo's",
  );
  // The blurred one says so, and is replaced where it stands.
  const flagged = page.locator('.uploads li.hint');
  await flagged.waitFor();
  assert.match(await flagged.innerText(), /Photo 3[\s\S]*Photo probablement floue : remplacez-la, ou retirez-la/);
  await page.screenshot({ path: join(screenshots, 'request-photo-flagged-phone-fr.png'), fullPage: true });
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390, 'the photo rows fit the phone');
  const blurredId = await flagged.getAttribute('data-upload');
  const retake = await drawPhotos(page, 1, 7);
  await act(() => flagged.locator('input[data-replace]').setInputFiles(retake));
  await page.locator(`.uploads li[data-upload="${blurredId}"]`).waitFor({ state: 'detached', timeout: 60_000 });
  await page.locator('.uploads li.done').nth(2).waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('.uploads li.hint').count(), 0, 'no flagged photo left');
  assert.equal(await page.locator('.uploads li.done').count(), 3);
  assert.equal(await rows.nth(2).locator('.upload-name').innerText(), 'Photo 3', 'in the same place');
  assert.equal(await rows.nth(2).locator('select').inputValue(), 'close_up', 'with the same view');
  await page.screenshot({ path: join(screenshots, 'request-form-phone-fr.png'), fullPage: true });
  await act(() => page.getByRole('button', { name: 'Envoyer la demande' }).click());
  assert.match(new URL(page.url()).pathname, /^\/dossiers\//);
  assert.match(await page.locator('main').innerText(), /Envoyée, en attente de prise en charge/);
  assert.match(await page.locator('main').innerText(), /Réponse attendue avant le/);
  assert.equal(await page.locator('#photos a.photo').count(), 3, 'the three kept photos were sent');
  await page.screenshot({ path: join(screenshots, 'request-sent-phone-fr.png'), fullPage: true });
  const filingLoads = loads - signInLoads;
  console.log(`filing a dermatology request with three photos: ${inputs} inputs, ${filingLoads} page loads`);
  assert.ok(inputs <= 22, `${inputs} inputs`);
  assert.ok(filingLoads <= 4, `${filingLoads} page loads`);
});
