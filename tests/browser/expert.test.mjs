// The whole tele-expertise loop, as the demo's people would do it: a GP
// sends a request from her phone; the dermatologist of that team finds it at
// the top of the queue, asks a question; the GP answers with one more photo;
// the expert asks for an in-person visit within a month; the coordinator
// proposes an appointment; the GP downloads the report and closes.
// Screenshots go to tests/browser/screenshots/ (scripts/test lists them).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoUsers, drawPhotos, launchBrowser, phonePage, screenshots, signIn, startDemo } from './harness.mjs';
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
  if (server) assert.equal(await server.stop(), 0);
});

const user = (email) => users.find((u) => u.email === email);

async function desktopPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
  return context.newPage();
}

/** The GP files a one-photo dermatology request; resolves to its reference and path. */
async function fileRequest(page) {
  await page.getByRole('link', { name: 'Nouvelle demande' }).click();
  await page.getByLabel('Dermatologie').check();
  await page.getByLabel(/Moreau Jeanne Marie/).check();
  await page.getByRole('button', { name: 'Continuer' }).click();
  const field = (name) => page.locator(`#field-${name}`);
  await field('consent').getByLabel('Oui').check();
  await field('question').locator('textarea').fill('Lésion pigmentée du dos qui grandit : mélanome ?');
  await field('history').getByLabel('Aucun').check();
  await field('treatments').getByLabel('Aucun').check();
  await field('allergies').getByLabel('Aucune connue').check();
  await field('body_site').locator('input').fill('Dos, omoplate gauche');
  await field('duration').getByLabel('6 à 12 mois').check();
  await field('evolution').getByLabel('Augmente de taille').check();
  await field('symptoms').getByLabel('Démangeaisons').check();
  await field('phototype').getByLabel(/brûle souvent/).check();
  await field('skin_cancer_history').getByLabel('Familial', { exact: true }).check();
  await page.locator('#file-picker').setInputFiles(await drawPhotos(page, 1));
  await page.locator('.uploads li.done').first().waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Envoyer la demande' }).click();
  await page.waitForURL(/\/dossiers\//);
  const reference = (await page.locator('h1').innerText()).replace('Dossier ', '').trim();
  return { reference, path: new URL(page.url()).pathname };
}

test('request, question, reply with a photo, advice, appointment, report, closing', async () => {
  // The expert has Consilium open while the GP sends the request.
  const expert = await desktopPage();
  const sophie = user('sophie.lambert@demo.test');
  await signIn(expert, server, sophie, totp);
  // The demo's requests already told her of their arrival.
  const badge = expert.locator('a.bell .badge');
  const unread = (await badge.count()) ? Number(await badge.innerText()) : 0;
  const gp = await phonePage(browser);
  await signIn(gp, server, user('claire.martin@demo.test'), totp);
  const { reference, path } = await fileRequest(gp);

  // The bell counts one more without a reload (the server's worker, then Server-Sent Events).
  await expert.locator('a.bell .badge', { hasText: String(unread + 1) }).waitFor({ timeout: 20_000 });
  await expert.screenshot({ path: join(screenshots, 'expert-bell-live-fr.png') });

  // The expert's queue: soonest deadline first, so the new request, with
  // about 48 h left, comes after the demo's older ones.
  await expert.getByRole('link', { name: "File d'attente" }).click();
  const entry = expert.locator('ol.queue li', { hasText: reference });
  assert.match(await entry.locator('.due').innerText(), /reste (4[78] h|2 j 0 h)/);
  const dues = await expert.locator('ol.queue li .due').allInnerTexts();
  assert.ok(dues.length >= 3, `the demo's open requests are queued too: ${dues}`);
  await expert.screenshot({ path: join(screenshots, 'expert-queue-fr.png'), fullPage: true });

  // Take it, look at the photo full size, ask for one more.
  await entry.locator('a').click();
  await expert.getByRole('button', { name: 'Accepter la demande' }).click();
  assert.match(await expert.locator('.meta').first().innerText(), /Acceptée/);
  await expert.locator('ul.gallery a.photo').first().click();
  await expert.locator('dialog.viewer[open] img').waitFor();
  await expert.getByRole('button', { name: /Zoom \+|Zoom avant|Agrandir/ }).first().click();
  await expert.screenshot({ path: join(screenshots, 'expert-photo-viewer-fr.png') });
  await expert.keyboard.press('Escape');
  await expert.getByLabel(/Poser une question au requérant/).fill('Pouvez-vous envoyer une photo en gros plan, avec une règle ?');
  await expert.getByLabel('Demander des photos supplémentaires').check();
  await expert.getByRole('button', { name: 'Envoyer la question' }).click();
  assert.match(await expert.locator('main').innerText(), /Question de l'expert en attente de réponse/);
  assert.match(await expert.locator('main').innerText(), /horloge arrêtée/);

  // The GP sees the question at the top of her list and answers with a photo.
  await gp.goto(`${server.url}/accueil`);
  const top = gp.locator('ul.cases li').first();
  assert.match(await top.innerText(), new RegExp(`${reference}[\\s\\S]*Question de l'expert`));
  await top.locator('a').click();
  await gp.getByLabel('Votre réponse').fill('Voici le gros plan demandé.');
  await gp.locator('#attachments input[type=file][multiple]').setInputFiles(await drawPhotos(gp, 1, 5));
  await gp.locator('.uploads li.done').first().waitFor({ timeout: 60_000 });
  await gp.locator('.uploads li.done select').selectOption('close_up');
  await gp.screenshot({ path: join(screenshots, 'requester-reply-phone-fr.png'), fullPage: true });
  await gp.getByRole('button', { name: 'Envoyer la réponse' }).click();
  assert.match(await gp.locator('main').innerText(), /En cours d'expertise/);

  // The expert sees two photos and answers: in-person visit within a month.
  await expert.goto(`${server.url}${path}`);
  assert.equal(await expert.locator('ul.gallery[data-gallery=current] a.photo').count(), 2);
  await expert.getByLabel('Hypothèse diagnostique').fill('Naevus atypique');
  await expert.getByLabel('Code CIM-10 (facultatif)').fill('D22.5');
  await expert.getByLabel('Conduite à tenir pour le requérant').fill('Exérèse à prévoir en consultation de dermatologie.');
  await expert.getByLabel('Consultation en présentiel dans le mois').check();
  await expert.getByRole('button', { name: "Signer et envoyer l'avis" }).click();
  assert.match(await expert.locator('#avis').innerText(), new RegExp(`Signé par Sophie Lambert \\(RPPS ${sophie.rpps ?? '\\d+'}\\)`));
  await expert.screenshot({ path: join(screenshots, 'expert-case-page-fr.png'), fullPage: true });

  // The coordinator proposes the appointment.
  const coordinator = await desktopPage();
  await signIn(coordinator, server, user('celine.fournier@demo.test'), totp);
  await coordinator.goto(`${server.url}${path}`);
  await coordinator.locator('#visit-date').fill('2026-12-15');
  await coordinator.locator('#visit-time').fill('10:30');
  await coordinator.locator('#visit-place').fill('CHU Dijon, consultations de dermatologie, porte 12');
  await coordinator.getByLabel('Consignes pour le patient').fill('Venir avec la liste de ses traitements.');
  await coordinator.getByRole('button', { name: 'Proposer le rendez-vous' }).click();
  assert.match(await coordinator.locator('#rendez-vous').innerText(), /15\/12\/2026 à 10:30/);

  // The GP sees it, downloads the report and closes.
  await gp.goto(`${server.url}${path}`);
  assert.match(await gp.locator('#rendez-vous').innerText(), /porte 12/);
  const [download] = await Promise.all([
    gp.waitForEvent('download'),
    gp.locator('#comptes-rendus a.button').click(),
  ]);
  const pdfPath = join(screenshots, 'report.pdf');
  await download.saveAs(pdfPath);
  const text = execFileSync('pdftotext', [pdfPath, '-']).toString();
  assert.match(text, /MOREAU/);
  assert.match(text, /Naevus atypique/);
  assert.match(text, /Exérèse à prévoir/);
  assert.match(text, /porte 12/);
  const rpps = sophie.rpps ?? (await expert.locator('#avis').innerText()).match(/RPPS (\d+)/)[1];
  assert.ok(text.includes(rpps), `the expert's RPPS ${rpps} is in the report`);
  execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-singlefile', pdfPath, join(screenshots, 'report-page-1')]);
  await gp.getByRole('button', { name: "J'ai lu l'avis : clôturer" }).click();
  assert.match(await gp.locator('.meta').first().innerText(), /Terminée/);
  assert.match(await gp.locator('main').innerText(), /Clôturée/);
  writeFileSync(join(screenshots, 'report.txt'), text);
});
