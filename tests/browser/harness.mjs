// Shared by the browser tests: the real `consilium serve --demo` on a free
// port in a temporary data directory, and Debian's Chromium via playwright-core.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
export const screenshots = join(here, 'screenshots');

/** The binary the Rust build produced (scripts/test builds it first). */
const binary = process.env.CONSILIUM_BIN ?? join(root, 'target', 'debug', 'consilium');

/** Starts the demo region; resolves once the banner is printed. */
export async function startDemo() {
  const dataDir = mkdtempSync(join(tmpdir(), 'consilium-browser-'));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CONSILIUM_')));
  const child = spawn(binary, ['--data-dir', dataDir, 'serve', '--demo', '--listen', '127.0.0.1:0'], {
    env: { ...env, CONSILIUM_LOG: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  let url;
  for await (const line of lines) {
    const match = line.match(/listens on (http:\/\/\S+)/);
    if (match) url = match[1];
    if (line.includes('every account')) break;
  }
  if (!url) throw new Error('consilium serve exited before listening');
  return {
    url,
    dataDir,
    /** Runs `consilium --data-dir <this server's> ...args`; resolves to stdout. */
    command: (...args) => runCommand(['--data-dir', dataDir, ...args], env),
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const code = await exited;
      rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

function runCommand(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { env: { ...env, CONSILIUM_LOG: 'warn' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`consilium ${args.join(' ')}: ${err}`))));
  });
}

/** Debian's Chromium, headless, with nothing reaching outside the machine. */
export async function launchBrowser() {
  mkdirSync(screenshots, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A phone-sized page (a GP photographs lesions with one). */
export async function phonePage(browser, locale = 'fr-FR') {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale,
  });
  return context.newPage();
}

/** `count` photo-like JPEGs (1600 × 1200), drawn by the browser itself. */
export async function drawPhotos(page, count, seed = 0) {
  const encoded = await page.evaluate(async ({ count, seed }) => {
    const out = [];
    for (let i = seed; i < seed + count; i += 1) {
      const canvas = document.createElement('canvas');
      canvas.width = 1600;
      canvas.height = 1200;
      const g = canvas.getContext('2d');
      for (let y = 0; y < 1200; y += 6) {
        for (let x = 0; x < 1600; x += 6) {
          g.fillStyle = `rgb(${(x * 7 + y * 3 + i * 50) % 256},${(x ^ y) % 200},${(120 + i * 40) % 256})`;
          g.fillRect(x, y, 6, 6);
        }
      }
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.92));
      const url = await new Promise((resolve) => {
        const reader = new FileReader();
        reader.onload = () => resolve(reader.result);
        reader.readAsDataURL(blob);
      });
      out.push(url.split(',')[1]);
    }
    return out;
  }, { count, seed });
  return encoded.map((b64, i) => ({ name: `lesion-${seed + i + 1}.jpg`, mimeType: 'image/jpeg', buffer: Buffer.from(b64, 'base64') }));
}

/** A photo the quality check doubts: smooth shades, no sharp detail, as
 * a shaken or out-of-focus take looks. */
export async function drawBlurredPhoto(page, name = 'lesion-floue.jpg') {
  const b64 = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 1600;
    canvas.height = 1200;
    const g = canvas.getContext('2d');
    const shade = g.createRadialGradient(800, 600, 50, 800, 600, 900);
    shade.addColorStop(0, 'rgb(150,100,80)');
    shade.addColorStop(1, 'rgb(210,170,150)');
    g.fillStyle = shade;
    g.fillRect(0, 0, 1600, 1200);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.92));
    const url = await new Promise((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result);
      reader.readAsDataURL(blob);
    });
    return url.split(',')[1];
  });
  return { name, mimeType: 'image/jpeg', buffer: Buffer.from(b64, 'base64') };
}

/** The demo accounts, as `consilium user list --json` prints them. */
export async function demoUsers(server) {
  return (await server.command('user', 'list', '--json')).trim().split('\n').map((l) => JSON.parse(l));
}

/** Signs `user` in (password, then TOTP) on `page`. */
export async function signIn(page, server, user, totp) {
  await page.goto(`${server.url}/connexion`);
  await page.getByLabel('Adresse e-mail').fill(user.email);
  await page.getByLabel('Mot de passe').fill(user.password);
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByLabel('Code à 6 chiffres de votre application').fill(totp(user.totp_secret));
  await page.getByRole('button', { name: 'Se connecter' }).click();
  // Each lands where their work is: requests, queue or dashboards.
  await page.waitForURL(/\/(accueil|file-attente|stats)/);
}
