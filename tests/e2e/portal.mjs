// Browser tests of the taxpayer portal: headless Chromium (playwright-core)
// with axe-core on every page at desktop and at 375px. Paying a notice up
// to the redirect to (mock) pagoPA Checkout, a spontaneous payment, a
// traffic fine on day 3 and on day 30 with different amounts, signing in
// through the local OpenID provider and seeing the situation, an act, the
// statement and its PDF, another taxpayer's act by URL (404), and the
// portal without JavaScript. Screenshots of the main pages go to
// E2E_ARTIFACTS. Run by tests/e2e/run-portal.sh, which sets the environment.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const requireWeb = createRequire(join(root, 'web', 'package.json'));
const { chromium } = requireWeb('playwright-core');
const AXE_SOURCE = readFileSync(requireWeb.resolve('axe-core/axe.min.js'), 'utf8');

const env = (k) => {
  const v = process.env[k];
  if (!v) {
    console.error(`portal.mjs: set ${k} (see tests/e2e/run-portal.sh)`);
    process.exit(2);
  }
  return v;
};
const BASE_URL = env('BASE_URL').replace(/\/$/, '');
const CITIZEN = env('E2E_CITIZEN');
const NAV = env('E2E_NAV');
const NAV_CF = env('E2E_NAV_CF');
const OTHER_ACT = env('E2E_OTHER_ACT');
const CHECKOUT = env('E2E_CHECKOUT');
const ARTIFACTS = process.env.E2E_ARTIFACTS || mkdtempSync(join(tmpdir(), 'sportello-portal-e2e-'));
mkdirSync(ARTIFACTS, { recursive: true });
const ENTE = '/enti/borgo-fittizio';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const TIMEOUT = 15000;
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let count = 0, failed = 0;
const failedNames = new Set(), passed = new Set();
class Failure extends Error {}
const expect = (cond, message) => { if (!cond) throw new Failure(message); };

async function test(name, fn, { needs = [], page = null } = {}) {
  const missing = needs.filter((n) => failedNames.has(n) || !passed.has(n));
  if (missing.length) {
    count++;
    failed++;
    failedNames.add(name);
    console.log(`not ok ${count} - ${name}\n  # not run: depends on "${missing.join('", "')}"`);
    return false;
  }
  try {
    await fn();
    passed.add(name);
    count++;
    console.log(`ok ${count} - ${name}`);
    return true;
  } catch (err) {
    count++;
    failed++;
    failedNames.add(name);
    let diag = err instanceof Failure ? err.message : (err && err.stack) || String(err);
    if (page) {
      diag += `\nurl: ${page.url()}`;
      try {
        const shot = join(ARTIFACTS, `failure-${count}.png`);
        await page.screenshot({ path: shot, fullPage: true });
        diag += `\nscreenshot: ${shot}`;
      } catch { /* page gone */ }
    }
    console.log(`not ok ${count} - ${name}`);
    for (const line of String(diag).replace(/\x1b\[[0-9;]*m/g, '').split('\n')) console.log(`  # ${line}`);
    return false;
  }
}

const sessions = [];
const problems = [];
async function newSession(label, { javaScript = true, width = 1280, height = 900 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'sportello-portal-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: LAUNCH_ARGS, javaScriptEnabled: javaScript, locale: 'it-IT', viewport: { width, height },
  });
  context.setDefaultTimeout(TIMEOUT);
  context.setDefaultNavigationTimeout(TIMEOUT);
  const page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (e) => problems.push(`${label}: page error on ${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    const t = m.text();
    if (/Content Security Policy/.test(t) && !/Loading the font 'data:/.test(t) && page.url().startsWith(BASE_URL))
      problems.push(`${label}: CSP violation on ${page.url()}: ${t.slice(0, 300)}`);
  });
  const s = { label, context, page, dir };
  sessions.push(s);
  return s;
}

const url = (p) => BASE_URL + p;
const pathOf = (page) => new URL(page.url()).pathname;
async function goto(page, p) {
  const res = await page.goto(url(p), { waitUntil: 'load' });
  expect(res, `no response for ${p}`);
  return res;
}
async function submit(page, buttonName) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }),
    page.getByRole('button', { name: buttonName }).first().click()]);
}
async function shot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

const audited = new Set();
async function axe(page, what) {
  const key = `${what} ${pathOf(page)}`;
  if (audited.has(key)) return true;
  audited.add(key);
  return test(`axe: ${what} (${pathOf(page)})`, async () => {
    const has = await page.evaluate('typeof window.axe === "object"');
    if (!has) await page.evaluate(AXE_SOURCE);
    const result = await page.evaluate((tags) => window.axe.run(document, {
      runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }), AXE_TAGS);
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.length === 0, bad.map((v) => `${v.impact} ${v.id}: ${v.help}\n` +
      v.nodes.slice(0, 5).map((n) => `  at ${n.target.join(' ')}: ${n.html.slice(0, 160)}`).join('\n')).join('\n'));
  }, { page });
}

async function noSideScroll(page) {
  const w = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(w[0] <= w[1] + 1, `page is ${w[0]}px wide in a ${w[1]}px window`);
}

async function fineTotal(page, number) {
  await goto(page, `${ENTE}/multe`);
  await page.getByLabel('Numero del verbale').fill(number);
  await page.getByLabel('Targa del veicolo').fill('ee 333 ee');
  await submit(page, 'Cerca il verbale');
  return (await page.locator('[data-testid="fine-total"]').innerText()).trim();
}

async function main() {
  const desk = await newSession('desktop');
  const p = desk.page;

  await test('home: the Ente, its services and the footer links', async () => {
    await goto(p, ENTE);
    expect(await p.locator('.it-brand-title').first().innerText() === 'Comune di Borgo Fittizio', 'Ente name');
    for (const el of ['all-services', 'personal-area-login', 'privacy-policy-link', 'legal-notes',
      'accessibility-link', 'report-inefficiency'])
      expect(await p.locator(`[data-element="${el}"]`).count() > 0, `no data-element="${el}"`);
    await shot(p, 'home');
  }, { page: p }) && await axe(p, 'home');

  await test('pay a notice without signing in, up to pagoPA Checkout', async () => {
    await goto(p, `${ENTE}/avviso`);
    await axe(p, 'notice form');
    const spaced = NAV.match(/.{1,4}/g).join(' ');
    await p.getByLabel('Codice avviso').fill(spaced);
    await p.getByLabel('Codice fiscale').fill(NAV_CF);
    await submit(p, "Cerca l'avviso");
    expect(await p.getByRole('heading', { name: 'Avviso trovato' }).count() === 1, 'notice not found');
    await shot(p, 'notice');
    await axe(p, 'notice found');
    await submit(p, 'Paga con pagoPA');
    expect(p.url().startsWith(CHECKOUT + '/c/'), `not at Checkout: ${p.url()}`);
    await shot(p, 'checkout');
  }, { page: p });

  await test('a wrong check digit gets its own message', async () => {
    await goto(p, `${ENTE}/avviso`);
    const bad = NAV.slice(0, 16) + String((Number(NAV.slice(16)) + 1) % 93).padStart(2, '0');
    await p.getByLabel('Codice avviso').fill(bad);
    await p.getByLabel('Codice fiscale').fill(NAV_CF);
    await submit(p, "Cerca l'avviso");
    expect(/cifre di controllo/.test(await p.locator('main').innerText()), 'no check digit message');
    await axe(p, 'notice error');
  }, { page: p });

  await test('spontaneous payment', async () => {
    await goto(p, `${ENTE}/spontaneo`);
    await axe(p, 'spontaneous form');
    await p.getByLabel('Servizio').selectOption('DIRITTI');
    await p.getByLabel('Importo in euro').fill('16,50');
    await p.getByLabel('Causale').fill('Certificato di destinazione urbanistica');
    await p.getByLabel('Codice fiscale di chi paga').fill(CITIZEN);
    await p.getByLabel('E-mail').fill('prova@example.org');
    await submit(p, "Crea l'avviso di pagamento");
    const text = await p.locator('main').innerText();
    expect(/\d{4} \d{4} \d{4} \d{4} \d{2}/.test(text), 'no notice number');
    expect(/16,50 €/.test(text), 'amount not shown');
    await shot(p, 'spontaneous');
    await axe(p, 'spontaneous created');
    await submit(p, 'Paga con pagoPA');
    expect(p.url().startsWith(CHECKOUT + '/c/'), `not at Checkout: ${p.url()}`);
  }, { page: p });

  await test('traffic fine: day 3 and day 30 cost differently', async () => {
    const t3 = await fineTotal(p, 'E2E/3');
    await shot(p, 'fine-day3');
    await axe(p, 'fine');
    const t30 = await fineTotal(p, 'E2E/30');
    expect(t3 === '43,90 €', `day 3: ${t3}`);
    expect(t30 === '56,50 €', `day 30: ${t30}`);
  }, { page: p });

  await test('sign in through the OpenID provider', async () => {
    await goto(p, `${ENTE}/area-personale`);
    expect(pathOf(p) === `${ENTE}/accedi`, `not sent to sign in: ${p.url()}`);
    await axe(p, 'sign-in');
    await Promise.all([p.waitForNavigation({ waitUntil: 'load' }),
      p.getByRole('link', { name: 'Entra con SPID o CIE' }).click()]);
    await p.getByLabel('Codice fiscale').fill(CITIZEN);
    await submit(p, 'Autorizza');
    expect(pathOf(p) === `${ENTE}/area-personale`, `landed on ${p.url()}`);
    const text = await p.locator('main').innerText();
    expect(text.includes(CITIZEN), 'fiscal code not shown');
    for (const y of ['2019', '2021', '2024', '2025']) expect(text.includes(y), `year ${y} missing`);
    await shot(p, 'situation');
  }, { page: p }) && await axe(p, 'situation');

  await test('an act, the statement and its PDF', async () => {
    await goto(p, `${ENTE}/area-personale`);
    await Promise.all([p.waitForNavigation({ waitUntil: 'load' }),
      p.locator('main table').nth(1).locator('tbody th a').first().click()]);
    expect(/\/area-personale\/atti\/\d+$/.test(pathOf(p)), `not an act: ${p.url()}`);
    expect(await p.getByRole('heading', { name: 'Righe di dettaglio' }).count() === 1, 'no lines');
    await shot(p, 'act');
    await axe(p, 'act');
    await goto(p, `${ENTE}/area-personale/estratto`);
    const total = await p.locator('[data-testid="total-residual"]').innerText();
    expect(/€$/.test(total), `total ${total}`);
    await shot(p, 'statement');
    await axe(p, 'statement');
    const href = await p.getByRole('link', { name: /Scarica l'estratto conto/ }).getAttribute('href');
    const res = await p.request.get(url(href));
    expect(res.status() === 200, `PDF status ${res.status()}`);
    const body = await res.body();
    expect(body.slice(0, 4).toString() === '%PDF', 'not a PDF');
  }, { needs: ['sign in through the OpenID provider'], page: p });

  await test('occupations of public land and the variation form', async () => {
    await goto(p, `${ENTE}/area-personale/occupazioni`);
    await axe(p, 'occupations');
    await Promise.all([p.waitForNavigation({ waitUntil: 'load' }),
      p.locator('main table tbody tr', { hasText: 'Piazza Garibaldi' }).locator('th a').click()]);
    expect(/\/area-personale\/occupazioni\/\d+$/.test(pathOf(p)), `not an occupation: ${p.url()}`);
    expect(await p.getByRole('heading', { name: 'Chiedi una variazione' }).count() === 1, 'no variation form');
    await shot(p, 'occupation');
    await axe(p, 'occupation');
  }, { needs: ['sign in through the OpenID provider'], page: p });

  await test("another taxpayer's act by URL is 404", async () => {
    const res = await goto(p, `${ENTE}/area-personale/atti/${OTHER_ACT}`);
    expect(res.status() === 404, `status ${res.status()}`);
  }, { needs: ['sign in through the OpenID provider'], page: p });

  const phone = await newSession('phone-375', { width: 375, height: 812 });
  for (const [what, path] of [['home', ENTE], ['notice form', `${ENTE}/avviso`], ['fines', `${ENTE}/multe`],
    ['spontaneous form', `${ENTE}/spontaneo`], ['sign-in', `${ENTE}/accedi`], ['channels', `${ENTE}/canali`]]) {
    await test(`375px: ${what} fits the screen`, async () => {
      await goto(phone.page, path);
      await noSideScroll(phone.page);
      if (what === 'home') await shot(phone.page, 'home-375');
    }, { page: phone.page }) && await axe(phone.page, `375px ${what}`);
  }
  await test('375px: sign in and the statement fits', async () => {
    const q = phone.page;
    await goto(q, `${ENTE}/accedi`);
    await Promise.all([q.waitForNavigation({ waitUntil: 'load' }),
      q.getByRole('link', { name: 'Entra con SPID o CIE' }).click()]);
    await q.getByLabel('Codice fiscale').fill(CITIZEN);
    await submit(q, 'Autorizza');
    await goto(q, `${ENTE}/area-personale/estratto`);
    await noSideScroll(q);
    await shot(q, 'statement-375');
  }, { page: phone.page }) && await axe(phone.page, '375px statement') &&
    await goto(phone.page, `${ENTE}/area-personale`) && await axe(phone.page, '375px situation');

  const nojs = await newSession('no-js', { javaScript: false });
  await test('without JavaScript: look a notice up', async () => {
    const q = nojs.page;
    await goto(q, `${ENTE}/avviso`);
    await q.getByLabel('Codice avviso').fill(NAV);
    await q.getByLabel('Codice fiscale').fill(NAV_CF);
    await submit(q, "Cerca l'avviso");
    expect(await q.getByRole('heading', { name: 'Avviso trovato' }).count() === 1, 'notice not found');
  }, { page: nojs.page });

  await test('no page errors or CSP violations on the portal', async () => {
    expect(problems.length === 0, [...new Set(problems)].join('\n'));
  });
}

try {
  await main();
} catch (err) {
  count++;
  failed++;
  console.log(`not ok ${count} - test harness\n  # ${String((err && err.stack) || err).split('\n').join('\n  # ')}`);
} finally {
  for (const s of sessions) {
    await s.context.close().catch(() => {});
    rmSync(s.dir, { recursive: true, force: true });
  }
}
console.log(`1..${count}`);
console.log(`${count - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
