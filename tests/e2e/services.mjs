// Browser test of an online service (issue 9, seed 004): a citizen signed
// in on the portal (demo sign-in: portal.demo_login) fills the form of
// "passo carrabile" with one wrong field first (its message next to it,
// everything typed kept), saves a draft, resumes it and submits it with an
// attachment; the operator takes it in charge and asks for an integration,
// the citizen answers with a document, the operator approves: four
// protocolled PDFs sit in the service's fascicolo of the year. axe-core on
// every page; the form also without JavaScript.
// Prints TAP.
//
//   BASE_URL=http://127.0.0.1:8080 node tests/e2e/services.mjs
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const requireWeb = createRequire(join(root, 'web', 'package.json'));
const { chromium } = requireWeb('playwright-core');
const AXE_SOURCE = readFileSync(requireWeb.resolve('axe-core/axe.min.js'), 'utf8');
const BASE_URL = (process.env.BASE_URL || '').replace(/\/$/, '');
if (!BASE_URL) {
  console.error('services.mjs: set BASE_URL');
  process.exit(2);
}
const ORIGIN = new URL(BASE_URL).origin;
const PASSWORD = process.env.E2E_PASSWORD || 'demo-password-2026';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const SLUG = 'borgo-fittizio';

let count = 0, failed = 0;
const passed = new Set();
function ok(name) { count++; passed.add(name); console.log(`ok ${count} - ${name}`); }
function notOk(name, diag) {
  count++; failed++;
  console.log(`not ok ${count} - ${name}`);
  for (const line of String(diag).split('\n')) console.log(`  # ${line}`);
}
class Failure extends Error {}
const expect = (cond, message) => { if (!cond) throw new Failure(message); };

async function test(name, fn, { needs = [], page = null } = {}) {
  const missing = needs.filter((n) => !passed.has(n));
  if (missing.length) return notOk(name, `not run: depends on "${missing.join('", "')}"`);
  try {
    await fn();
    ok(name);
  } catch (err) {
    let diag = err instanceof Failure ? err.message : (err && err.stack) || String(err);
    if (page) diag += `\nurl: ${page.url()}`;
    notOk(name, diag);
  }
}

const sessions = [];
const problems = [];
async function session(label, { javaScript = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'sportello-e2e-services-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    javaScriptEnabled: javaScript, locale: 'it-IT', viewport: { width: 1280, height: 900 },
  });
  context.setDefaultTimeout(15000);
  const page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (e) => problems.push(`${label}: page error on ${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    const t = m.text();
    if (/Content Security Policy/.test(t) && !/Loading the font 'data:/.test(t))
      problems.push(`${label}: CSP violation on ${page.url()}: ${t.slice(0, 300)}`);
  });
  page.on('request', (r) => {
    const u = r.url();
    if (/^https?:/.test(u) && new URL(u).origin !== ORIGIN) problems.push(`${label}: off-origin request ${u}`);
  });
  sessions.push({ context, dir });
  return page;
}

const pathOf = (page) => new URL(page.url()).pathname;
async function goto(page, path) {
  const res = await page.goto(BASE_URL + path, { waitUntil: 'load' });
  expect(res, `no response for ${path}`);
  return res;
}
async function submit(page, locator) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
}

const audited = new Set();
async function axe(page, what) {
  const key = `${what} ${pathOf(page)}`;
  if (audited.has(key)) return;
  audited.add(key);
  await test(`axe: ${what}`, async () => {
    const has = await page.evaluate('typeof window.axe === "object"');
    if (!has) await page.evaluate(AXE_SOURCE);
    const result = await page.evaluate((tags) => window.axe.run(document, {
      runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }), AXE_TAGS);
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.length === 0, bad.map((v) => `${v.impact} ${v.id}: ${v.help}\n` +
      v.nodes.slice(0, 5).map((n) => `  at ${n.target.join(' ')}: ${n.html.slice(0, 160)}`).join('\n')).join('\n'));
  }, { page });
}

async function signIn(page, user) {
  await goto(page, '/accedi');
  await page.locator('input[name="username"]').fill(user);
  await page.locator('input[name="password"]').fill(PASSWORD);
  await submit(page, page.getByRole('button', { name: 'Accedi', exact: true }));
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n' +
  '2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

async function fill(page, values) {
  for (const [name, value] of Object.entries(values)) {
    const radio = page.locator(`input[type="radio"][name="${name}"][value="${value}"]`);
    if (await radio.count()) await radio.check({ force: true });
    else await page.locator(`[name="${name}"]`).fill(value);
  }
}

async function citizenSignIn(page, cf) {
  // a citizen page sends to the sign-in first; the demo sign-in comes back
  await page.locator('input[name="codice_fiscale"]').fill(cf);
  await submit(page, page.getByRole('button', { name: 'Entra (dimostrazione)' }));
}

async function main() {
  const PORTAL = `/enti/${SLUG}`;
  const FORM = `${PORTAL}/servizi/passo_carrabile/domanda`;
  let appPath = null, opPath = null;
  const cit = await session('cittadino');
  const op = await session('operatore');
  await test('a wrong field is shown next to its message, nothing typed is lost', async () => {
    await goto(cit, `${PORTAL}/servizi`);
    await axe(cit, 'portal services');
    await submit(cit, cit.getByRole('link', { name: 'Compila la domanda: Richiesta di passo carrabile' }));
    await citizenSignIn(cit, 'VRDLGU75B12F205B');
    expect(pathOf(cit) === FORM, `landed on ${pathOf(cit)}`);
    await axe(cit, 'application form');
    await fill(cit, { nome: 'Luigi Verdi', codice_fiscale: 'VRDLGU75B12F205B', email: 'luigi.verdi@example.org',
      titolo: 'proprietario', indirizzo: 'Via Roma 1', larghezza_cm: '50', data_inizio: '2026-03-01',
      lavori: 'no' });
    await cit.locator('input[name="planimetria"]').setInputFiles({ name: 'pianta.pdf', mimeType: 'application/pdf', buffer: PDF });
    await submit(cit, cit.getByRole('button', { name: 'Invia la domanda' }));
    const err = cit.locator('#f-larghezza_cm-error');
    expect(await err.count() === 1, 'no message under the wrong field');
    expect((await err.innerText()).includes('tra 100 e 2000'), 'wrong message');
    expect(await cit.locator('#f-larghezza_cm').getAttribute('aria-describedby') === 'f-larghezza_cm-error',
      'the field does not point at its message');
    expect(await cit.locator('#f-nome').inputValue() === 'Luigi Verdi', 'the name typed was lost');
    expect((await cit.locator('main').innerText()).includes('File già allegato: pianta.pdf'), 'the attachment was lost');
    await axe(cit, 'application form with errors');
  }, { page: cit });

  await test('the draft is saved and resumed', async () => {
    await cit.locator('#f-larghezza_cm').fill('350');
    await submit(cit, cit.getByRole('button', { name: 'Salva bozza' }));
    expect((await cit.locator('main').innerText()).includes('Bozza salvata'), 'no notice for the draft');
    await goto(cit, `${PORTAL}/area-personale/domande`);
    await axe(cit, 'my applications');
    await submit(cit, cit.getByRole('link', { name: 'Richiesta di passo carrabile' }).first());
    expect(await cit.locator('#f-larghezza_cm').inputValue() === '350', 'the draft did not keep the value');
  }, { needs: ['a wrong field is shown next to its message, nothing typed is lost'], page: cit });

  await test('the application is submitted with its attachment', async () => {
    await submit(cit, cit.getByRole('button', { name: 'Invia la domanda' }));
    expect(/\/area-personale\/domande\/\d+$/.test(pathOf(cit)), `landed on ${pathOf(cit)}`);
    appPath = pathOf(cit);
    const main = await cit.locator('main').innerText();
    expect(main.includes('Domanda inviata'), 'no notice');
    expect(/Protocollo\s*\n?\s*\d{7}\/\d{4}/.test(main), 'no protocol number');
    expect(/Numero richiesta\s*\n?\s*\d{4}-\d{6}/.test(main), 'no request number');
    await axe(cit, 'application page (citizen)');
  }, { needs: ['the draft is saved and resumed'], page: cit });

  await test('the operator takes it in charge and asks for an integration', async () => {
    await signIn(op, 'operatore');
    await goto(op, `/ufficio/${SLUG}/domande`);
    await axe(op, 'applications');
    await submit(op, op.getByRole('link', { name: 'Richiesta di passo carrabile' }).first());
    opPath = pathOf(op);
    expect((await op.locator('main').innerText()).includes('pianta.pdf'), 'the attachment is not listed');
    await axe(op, 'application page (operator)');
    await submit(op, op.getByRole('button', { name: 'Prendi in carico' }));
    await op.locator('textarea[name="body"]').fill('Allegare la visura catastale.');
    await submit(op, op.getByRole('button', { name: 'Invia la richiesta' }));
    expect((await op.locator('main').innerText()).includes('Richiesta di integrazione inviata'), 'not asked');
  }, { needs: ['the application is submitted with its attachment'], page: op });

  await test('the citizen answers with a document', async () => {
    await goto(cit, appPath);
    expect((await cit.locator('main').innerText()).includes('Allegare la visura catastale.'), 'request not shown');
    await axe(cit, 'application page (integration asked)');
    await cit.locator('textarea[name="text"]').fill('Ecco la visura.');
    await cit.locator('input[name="allegato"]').setInputFiles({ name: 'visura.pdf', mimeType: 'application/pdf', buffer: PDF });
    await submit(cit, cit.getByRole('button', { name: "Invia l'integrazione" }));
    expect((await cit.locator('main').innerText()).includes('Integrazione inviata'), 'answer not sent');
  }, { needs: ['the operator takes it in charge and asks for an integration'], page: cit });

  await test('the operator approves: four protocolled PDFs in the fascicolo of the year', async () => {
    await goto(op, opPath);
    await op.locator('input[name="outcome"][value="accepted"]').check({ force: true });
    await submit(op, op.getByRole('button', { name: "Invia l'esito" }));
    const main = await op.locator('main').innerText();
    expect(main.includes('Esito inviato') && main.includes('Accolta'), 'not approved');
    const links = op.locator('a[href*="/documenti/"]');
    const n = await links.count();
    expect(n === 4, `${n} protocolled PDFs instead of 4`);
    const years = new Set();
    for (let i = 0; i < n; i++) {
      const t = await links.nth(i).innerText();
      const m = /prot\. \d{7}\/(\d{4})/.exec(t);
      expect(m, `no protocol number on "${t}"`);
      years.add(m[1]);
    }
    expect(years.size === 1, 'the PDFs are not all of one year');
    expect(/Fascicolo: servizio:passo_carrabile, anno \d{4}/.test(main), 'no fascicolo');
    const res = await op.request.get(BASE_URL + (await links.first().getAttribute('href')));
    expect(res.ok() && (await res.body()).subarray(0, 5).toString() === '%PDF-', 'the document is not a PDF');
    await axe(op, 'application page (approved)');
  }, { needs: ['the citizen answers with a document'], page: op });

  const nojs = await session('no-javascript', { javaScript: false });
  await test('without JavaScript: the form and its messages', async () => {
    await goto(nojs, FORM);
    await citizenSignIn(nojs, 'BNCGNN70A41H501V');
    expect(pathOf(nojs) === FORM, `landed on ${pathOf(nojs)}`);
    await submit(nojs, nojs.getByRole('button', { name: 'Invia la domanda' }));
    const text = await nojs.locator('main').innerText();
    expect(text.includes('Campo obbligatorio.') && text.includes('Allega il file richiesto.'),
      'required fields not reported');
  }, { page: nojs });

  await test('no page errors, CSP violations or requests to other origins', async () => {
    expect(problems.length === 0, [...new Set(problems)].join('\n'));
  });
}

try {
  await main();
} catch (err) {
  notOk('test harness', (err && err.stack) || String(err));
} finally {
  for (const s of sessions) {
    await s.context.close().catch(() => {});
    rmSync(s.dir, { recursive: true, force: true });
  }
}
console.log(`1..${count}`);
process.exit(failed ? 1 : 0);
