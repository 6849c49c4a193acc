// Browser tests of cases (pratiche): an operator registers a request taken
// at the counter, the office manager assigns it, the operator takes it,
// replies and closes it, and the requester's public follow page shows the
// outcome; axe-core on every page, and the queue and the case page also
// without JavaScript. Prints TAP.
//
//   BASE_URL=http://127.0.0.1:8080 node tests/e2e/cases.mjs
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
  console.error('cases.mjs: set BASE_URL');
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
  const dir = mkdtempSync(join(tmpdir(), 'sportello-e2e-cases-'));
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

async function main() {
  const stamp = Date.now().toString(36);
  const email = `e2e.${stamp}@example.org`;
  const subject = `Richiesta di rimborso e2e ${stamp}`;
  let caseUrl = null, caseNumber = null;

  const op = await session('operatore');
  const mgr = await session('gestore');
  await test('operatore registers a request taken at the counter', async () => {
    await signIn(op, 'operatore');
    await goto(op, `/ufficio/${SLUG}/pratiche`);
    await axe(op, 'case queue');
    await submit(op, op.getByRole('link', { name: /Registra una richiesta/ }));
    await axe(op, 'new request form');
    await op.getByLabel('Sportello').check();
    await op.locator('select[name="category"]').selectOption('rimborso');
    await op.locator('input[name="subject"]').fill(subject);
    await op.locator('textarea[name="description"]').fill('Ho pagato due volte la TARI.');
    await op.locator('input[name="requester_name"]').fill('Carla Neri');
    await op.locator('input[name="requester_email"]').fill(email);
    await submit(op, op.locator('main form').getByRole('button', { name: 'Registra la richiesta' }));
    expect(new RegExp(`^/ufficio/${SLUG}/pratiche/\\d+$`).test(pathOf(op)), `landed on ${pathOf(op)}`);
    const main = await op.locator('main').innerText();
    expect(main.includes('Richiesta registrata'), 'no confirmation notice');
    expect(/Protocollo\s*\n?\s*\d{7}\/\d{4}/.test(main), 'no protocol number on the case page');
    caseUrl = pathOf(op);
    caseNumber = (await op.locator('main h1').innerText()).replace('Pratica ', '').trim();
    expect(/^\d{4}-\d{6}$/.test(caseNumber), `case number "${caseNumber}"`);
  }, { page: op });
  await axe(op, 'case page (new)');

  await test('gestore assigns it to the operator', async () => {
    await signIn(mgr, 'gestore');
    await goto(mgr, `/ufficio/${SLUG}/pratiche`);
    const link = mgr.getByRole('link', { name: caseNumber, exact: true });
    expect(await link.count() === 1, `case ${caseNumber} not in the manager's queue "da prendere in carico"`);
    await submit(mgr, link);
    await mgr.locator('select[name="assignee"]').selectOption({ label: 'Omar Operatori' });
    await submit(mgr, mgr.getByRole('button', { name: 'Assegna', exact: true }));
    const main = await mgr.locator('main').innerText();
    expect(main.includes('Pratica assegnata'), 'no notice after assigning');
    expect(main.includes('Assegnata a') && main.includes('Omar Operatori'), 'the assignee is not shown');
  }, { needs: ['operatore registers a request taken at the counter'], page: mgr });

  await test('operatore takes it, replies and closes it with an outcome', async () => {
    await goto(op, `/ufficio/${SLUG}/pratiche?vista=mie`);
    await axe(op, 'my cases');
    await submit(op, op.getByRole('link', { name: caseNumber, exact: true }));
    await submit(op, op.getByRole('button', { name: 'Prendi in carico' }));
    await op.locator('textarea[name="body"]').fill('Abbiamo verificato il doppio versamento.');
    await submit(op, op.getByRole('button', { name: 'Invia', exact: true }));
    expect((await op.locator('main').innerText()).includes('Messaggio inviato'), 'reply not sent');
    await op.locator('select[name="outcome"]').selectOption('accepted');
    await op.locator('textarea[name="message"]').fill('Il rimborso sarà disposto entro 30 giorni.');
    await submit(op, op.getByRole('button', { name: 'Chiudi la pratica' }));
    const main = await op.locator('main').innerText();
    expect(main.includes('Pratica chiusa'), 'no notice after closing');
    expect(main.includes('Accolta'), 'outcome not shown');
    expect(/Iter della pratica[\s\S]*Presa in carico[\s\S]*Risposta inviata[\s\S]*Chiusa/.test(main),
      'the iter does not list take, reply and close');
  }, { needs: ['gestore assigns it to the operator'], page: op });
  await axe(op, 'case page (closed)');

  const pub = await session('requester');
  await test("the requester's follow page shows the outcome", async () => {
    await goto(pub, '/pratiche/segui');
    await axe(pub, 'follow page');
    await pub.locator('select[name="ente"]').selectOption(SLUG);
    await pub.locator('input[name="numero"]').fill(caseNumber);
    await pub.locator('input[name="verifica"]').fill(email);
    await submit(pub, pub.getByRole('button', { name: 'Cerca' }));
    const main = await pub.locator('main').innerText();
    expect(main.includes(`Pratica ${caseNumber}`), 'the case is not shown');
    expect(main.includes('Chiusa') && main.includes('Accolta'), 'state and outcome not shown');
    expect(!main.includes(subject), 'the follow page shows more than state, dates and outcome');
    await pub.locator('input[name="numero"]').fill(caseNumber);
    await pub.locator('input[name="verifica"]').fill('altro@example.org');
    await submit(pub, pub.getByRole('button', { name: 'Cerca' }));
    expect((await pub.locator('main').innerText()).includes('Nessuna pratica corrisponde'),
      'a wrong e-mail is not refused');
  }, { needs: ['operatore takes it, replies and closes it with an outcome'], page: pub });
  await axe(pub, 'follow page with an answer');

  const nojs = await session('no-javascript', { javaScript: false });
  await test('without JavaScript: queue filters and the case page', async () => {
    await signIn(nojs, 'gestore');
    await goto(nojs, `/ufficio/${SLUG}/pratiche?vista=chiuse`);
    await nojs.locator('select[name="categoria"]').selectOption('rimborso');
    await submit(nojs, nojs.getByRole('button', { name: 'Filtra' }));
    const link = nojs.getByRole('link', { name: caseNumber, exact: true });
    expect(await link.count() === 1, 'the closed case is not in the filtered queue');
    await submit(nojs, link);
    expect(pathOf(nojs) === caseUrl, `landed on ${pathOf(nojs)}`);
  }, { needs: ['operatore takes it, replies and closes it with an outcome'], page: nojs });

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
