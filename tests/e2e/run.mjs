// Browser tests: a real (Debian) Chromium driven by playwright-core against
// a running `sportello serve`. Prints TAP and exits non-zero on any failure.
//
//   BASE_URL=http://127.0.0.1:8080 node tests/e2e/run.mjs
//
// Environment: BASE_URL (required), E2E_PASSWORD (demo password, default
// demo-password-2026), E2E_SEARCH_PREFIX (name prefix to search for;
// default: the first of a few common initials that finds someone),
// E2E_ARTIFACTS (where failure screenshots go; default a temp dir),
// CHROMIUM (default /usr/bin/chromium).
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
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
  console.error('run.mjs: set BASE_URL, e.g. BASE_URL=http://127.0.0.1:8080');
  process.exit(2);
}
const ORIGIN = new URL(BASE_URL).origin;
const PASSWORD = process.env.E2E_PASSWORD || 'demo-password-2026';
const ARTIFACTS = process.env.E2E_ARTIFACTS || mkdtempSync(join(tmpdir(), 'sportello-e2e-'));
mkdirSync(ARTIFACTS, { recursive: true });
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const TIMEOUT = 15000;

// ---- TAP -----------------------------------------------------------------
let count = 0, failed = 0;
const failedNames = new Set(), passed = new Set();

function tapOk(name) {
  count++;
  console.log(`ok ${count} - ${name}`);
}

function tapNotOk(name, diag) {
  count++;
  failed++;
  failedNames.add(name);
  console.log(`not ok ${count} - ${name}`);
  console.log('  ---');
  for (const line of String(diag).split('\n')) console.log(`  # ${line}`);
  console.log('  ...');
}

class Failure extends Error {}
function expect(cond, message) {
  if (!cond) throw new Failure(message);
}

// Runs one test: fn gets nothing and throws on failure. A test whose
// prerequisites failed is reported as failed without running.
async function test(name, fn, { needs = [], page = null } = {}) {
  const missing = needs.filter((n) => failedNames.has(n) || !passed.has(n));
  if (missing.length) {
    tapNotOk(name, `not run: depends on "${missing.join('", "')}"`);
    return false;
  }
  try {
    await fn();
    passed.add(name);
    tapOk(name);
    return true;
  } catch (err) {
    let diag = err instanceof Failure ? err.message : (err && err.stack) || String(err);
    diag = diag.replace(/\x1b\[[0-9;]*m/g, '');
    if (page) {
      diag += `\nurl: ${page.url()}`;
      const shot = join(ARTIFACTS, `failure-${count + 1}.png`);
      try {
        await page.screenshot({ path: shot, fullPage: true });
        diag += `\nscreenshot: ${shot}`;
      } catch { /* page may be gone */ }
    }
    tapNotOk(name, diag);
    return false;
  }
}
// ---- browser sessions ------------------------------------------------------
const sessions = [];
const problems = []; // page errors, CSP violations, off-origin requests

// A browser with its own fresh profile directory (so no cookie or cache
// leaks between users); javaScript false gives a no-JS browser.
async function newSession(label, { javaScript = true, width = 1280, height = 900 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'sportello-e2e-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: LAUNCH_ARGS,
    javaScriptEnabled: javaScript,
    locale: 'it-IT',
    viewport: { width, height },
  });
  context.setDefaultTimeout(TIMEOUT);
  context.setDefaultNavigationTimeout(TIMEOUT);
  const page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (e) => problems.push(`${label}: page error on ${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    const t = m.text();
    // Bootstrap Italia's CSS declares the video.js icon font as a data: URL;
    // blocking it is harmless (no video players here).
    if (/Content Security Policy/.test(t) && !/Loading the font 'data:/.test(t))
      problems.push(`${label}: CSP violation on ${page.url()}: ${t.slice(0, 300)}`);
  });
  page.on('request', (r) => {
    const u = r.url();
    if (/^https?:/.test(u) && new URL(u).origin !== ORIGIN)
      problems.push(`${label}: request leaves our origin: ${u}`);
  });
  const s = { label, context, page, dir };
  sessions.push(s);
  return s;
}

async function closeAll() {
  for (const s of sessions) {
    await s.context.close().catch(() => {});
    rmSync(s.dir, { recursive: true, force: true });
  }
}

// ---- helpers ---------------------------------------------------------------
const url = (path) => BASE_URL + path;
const pathOf = (page) => new URL(page.url()).pathname;

async function goto(page, path) {
  const res = await page.goto(url(path), { waitUntil: 'load' });
  expect(res, `no response for ${path}`);
  return res;
}

async function h1Text(page) {
  const h1 = page.locator('main h1');
  expect((await h1.count()) === 1, `expected one <h1> in <main>, found ${await h1.count()}`);
  return (await h1.innerText()).trim();
}

// Checks the current page with axe-core; one TAP line per audit. axe is
// evaluated over the DevTools protocol, so the page's CSP does not block it
// (a <script> tag would be: the CSP allows our own origin only).
const audited = new Set();
async function axe(page, what) {
  const key = `${what} ${pathOf(page)}`;
  if (audited.has(key)) return;
  audited.add(key);
  await test(`axe: ${what} (${pathOf(page)})`, async () => {
    const hasAxe = await page.evaluate('typeof window.axe === "object"').catch(() => null);
    expect(hasAxe !== null, 'cannot evaluate scripts on this page (JavaScript disabled?)');
    if (!hasAxe) await page.evaluate(AXE_SOURCE);
    const result = await page.evaluate(
      (tags) => window.axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      }),
      AXE_TAGS,
    );
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.length === 0, bad.map((v) =>
      `${v.impact} ${v.id}: ${v.help} (${v.helpUrl})\n` +
      v.nodes.slice(0, 5).map((n) => `  at ${n.target.join(' ')}: ${n.html.slice(0, 160)}`).join('\n'),
    ).join('\n'));
  }, { page });
}

// Labels covered by (or covering) another visible element of <main>: a
// heading, a legend, another label, another control, a button, a hint or an
// error message. The hidden native checkbox/radio inside a Bootstrap Italia
// .form-check is drawn by its label, so it is left out.
async function coveredLabels(page) {
  return page.evaluate(() => {
    const visible = (sel) => [...document.querySelectorAll(sel)]
      .map((e) => ({ e, r: e.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 0 && r.height > 0);
    const labels = visible('main label');
    const others = visible('main h1, main h2, main h3, main legend, main label, main select, ' +
      'main textarea, main button, main .form-text, main .invalid-feedback, main .alert, ' +
      'main input:not([type="hidden"]):not([type="checkbox"]):not([type="radio"])');
    const overlap = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 &&
      a.top < b.bottom - 1 && b.top < a.bottom - 1;
    const name = (e) => `${e.tagName.toLowerCase()} "${(e.innerText || e.name || e.id || '').trim().slice(0, 40)}"`;
    const bad = [];
    for (const l of labels) {
      for (const o of others) {
        if (o.e === l.e || l.e.contains(o.e) || o.e.contains(l.e)) continue;
        if (l.e.htmlFor && o.e.id === l.e.htmlFor) continue; // a label may touch its own control
        if (overlap(l.r, o.r)) bad.push(`${name(l.e)} overlaps ${name(o.e)}`);
      }
    }
    return [...new Set(bad)];
  });
}

// The page is no wider than the window: nothing makes it scroll sideways.
async function sidewaysScroll(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

// A form control by its label text; a required field's label may end with
// an asterisk.
function byLabel(page, text) {
  return page.getByLabel(new RegExp(`^\\s*${text}(\\s*\\*)?\\s*$`));
}

async function signIn(page, username) {
  await goto(page, '/accedi');
  expect(await page.locator('input[name="username"]').count() === 1, 'no sign-in form at /accedi');
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(PASSWORD);
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.getByRole('button', { name: 'Accedi', exact: true }).click(),
  ]);
}

// Submits the search form on the registry page with q and returns the rows.
async function search(page, slug, q) {
  await goto(page, `/ufficio/${slug}/contribuenti`);
  const field = page.locator('main form input[name="q"]');
  expect(await field.count() === 1, 'no search field named "q" on the registry page');
  await field.fill(q);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), field.press('Enter')]);
  return page.locator('main table tbody tr');
}

// Finds a name prefix that matches someone in the demo data: E2E_SEARCH_PREFIX
// or the first of a few common initials with results.
async function searchSomeone(page, slug) {
  const tries = process.env.E2E_SEARCH_PREFIX ? [process.env.E2E_SEARCH_PREFIX]
    : ['R', 'B', 'M', 'C', 'F', 'G', 'A', 'V', 'P', 'S'];
  for (const prefix of tries) {
    const rows = await search(page, slug, prefix);
    if (await rows.count() > 0) return { prefix, rows };
  }
  throw new Failure(`no search result for any of the prefixes ${tries.join(', ')}`);
}

// A valid codice fiscale consistent with the given names and a random birth
// date (Rome, H501), so each run creates a taxpayer nobody has yet.
function codiceFiscale(surname, name, year, month, day, female) {
  const up = (s) => s.toUpperCase().replace(/[^A-Z]/g, '');
  const cons = (s) => up(s).replace(/[AEIOU]/g, ''), vow = (s) => up(s).replace(/[^AEIOU]/g, '');
  const sur = (cons(surname) + vow(surname) + 'XXX').slice(0, 3);
  const c = cons(name);
  const nam = c.length >= 4 ? c[0] + c[2] + c[3] : (c + vow(name) + 'XXX').slice(0, 3);
  const code = sur + nam + String(year % 100).padStart(2, '0') + 'ABCDEHLMPRST'[month - 1] +
    String(day + (female ? 40 : 0)).padStart(2, '0') + 'H501';
  const odd = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const ch = code[i];
    const v = /[0-9]/.test(ch) ? ch.charCodeAt(0) - 48 : ch.charCodeAt(0) - 65;
    sum += i % 2 === 0 ? odd[v] : v; // positions 1,3,5... (1-based) are "odd"
  }
  return code + String.fromCharCode(65 + (sum % 26));
}

function randomPerson() {
  const pick = (a) => a[Math.floor(Math.random() * a.length)];
  const syll = () => pick('BCDFGLMNPRSTVZ') + pick('AEIOU');
  const surname = pick(['Bel', 'Cor', 'Fer', 'Mar', 'Ros', 'Val']) + syll().toLowerCase() + syll().toLowerCase();
  const female = Math.random() < 0.5;
  const name = female ? pick(['Giulia', 'Anna', 'Sara', 'Chiara']) : pick(['Marco', 'Luca', 'Paolo', 'Andrea']);
  const year = 1940 + Math.floor(Math.random() * 60), month = 1 + Math.floor(Math.random() * 12);
  const day = 1 + Math.floor(Math.random() * 28);
  return { surname, name, female, cf: codiceFiscale(surname, name, year, month, day, female) };
}

// ---- the tests -------------------------------------------------------------
async function main() {
  const op = await newSession('operatore');
  let slug = null, someone = null;
  const person = randomPerson();
  const invalidCf = person.cf.slice(0, 15) + (person.cf[15] === 'A' ? 'B' : 'A'); // wrong check char

  await test('sign-in page has the form', async () => {
    const res = await goto(op.page, '/accedi');
    expect(res.status() === 200, `GET /accedi answered ${res.status()}`);
    expect(await op.page.locator('input[name="username"]').count() === 1, 'no input named "username"');
    expect(await op.page.locator('input[name="password"][type="password"]').count() === 1,
      'no password input named "password"');
    expect(await op.page.getByRole('button', { name: 'Accedi', exact: true }).count() === 1,
      'no button "Accedi"');
  }, { page: op.page }) && await axe(op.page, 'sign-in page');

  await test('operatore signs in and lands on the office page', async () => {
    await signIn(op.page, 'operatore');
    const m = pathOf(op.page).match(/^\/ufficio\/([a-z0-9-]+)\/?$/);
    expect(m, `landed on ${pathOf(op.page)}, expected /ufficio/<ente-slug>`);
    slug = m[1];
    await h1Text(op.page);
    expect(await op.page.getByRole('button', { name: 'Esci' }).count() === 1, 'no sign-out button "Esci"');
  }, { needs: ['sign-in page has the form'], page: op.page }) && await axe(op.page, 'office home');

  const signedIn = ['operatore signs in and lands on the office page'];
  await test('search by name prefix shows results in a table', async () => {
    const { prefix, rows } = await searchSomeone(op.page, slug);
    expect(new URL(op.page.url()).searchParams.get('q') === prefix, `the search did not submit q=${prefix}`);
    const names = await rows.locator('td:first-child, th:first-child').allInnerTexts();
    const wrong = names.filter((n) => !n.trim().toUpperCase().startsWith(prefix.toUpperCase()));
    expect(wrong.length === 0, `results not starting with "${prefix}": ${wrong.slice(0, 5).join('; ')}`);
    const link = rows.first().locator('a').first();
    someone = { name: (await link.innerText()).trim(), href: await link.getAttribute('href') };
    expect(someone.href, 'the first result has no link');
  }, { needs: signedIn, page: op.page }) && await axe(op.page, 'search results');

  await test('open a search result', async () => {
    await Promise.all([
      op.page.waitForNavigation({ waitUntil: 'load' }),
      op.page.locator('main table tbody tr').first().locator('a').first().click(),
    ]);
    expect(new RegExp(`^/ufficio/${slug}/contribuenti/\\d+$`).test(pathOf(op.page)),
      `landed on ${pathOf(op.page)}`);
    const main = await op.page.locator('main').innerText();
    expect(main.includes(someone.name), `the page does not show "${someone.name}"`);
  }, { needs: ['search by name prefix shows results in a table'], page: op.page }) &&
    await axe(op.page, 'taxpayer page');

  const cfField = () => byLabel(op.page, 'Codice fiscale');
  await test('new person with an invalid codice fiscale: error next to the field, values kept', async () => {
    const res = await goto(op.page, `/ufficio/${slug}/contribuenti/nuovo`);
    expect(res.status() === 200, `GET .../nuovo answered ${res.status()}`);
    await axe(op.page, 'new taxpayer form');
    const kind = byLabel(op.page, 'Persona fisica');
    if (await kind.count()) await kind.check();
    await byLabel(op.page, 'Cognome').fill(person.surname);
    await byLabel(op.page, 'Nome').fill(person.name);
    await cfField().fill(invalidCf);
    await Promise.all([
      op.page.waitForNavigation({ waitUntil: 'load' }),
      op.page.locator('main form').getByRole('button', { name: /Registra|Salva/ }).click(),
    ]);
    expect(/\/contribuenti\/nuovo$/.test(pathOf(op.page)), `moved to ${pathOf(op.page)} instead of showing the form again`);
    const cf = cfField();
    expect(await cf.getAttribute('aria-invalid') === 'true', 'the codice fiscale field lacks aria-invalid="true"');
    const ids = (await cf.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
    expect(ids.length, 'the codice fiscale field has no aria-describedby pointing at its error');
    const near = await cf.evaluate((el, list) => list.map((id) => {
      const d = document.getElementById(id);
      return d && { text: d.innerText.trim(), near: el.parentElement.contains(d) || el.parentElement.parentElement.contains(d) };
    }), ids);
    expect(near.some((d) => d && d.text && d.near),
      `no error message next to the field (aria-describedby ${ids.join(' ')}: ${JSON.stringify(near)})`);
    expect(await cf.inputValue() === invalidCf, `codice fiscale not kept: "${await cf.inputValue()}"`);
    const sv = await byLabel(op.page, 'Cognome').inputValue();
    const nv = await byLabel(op.page, 'Nome').inputValue();
    expect(sv === person.surname && nv === person.name, `typed names not kept: "${sv}" "${nv}"`);
  }, { needs: signedIn, page: op.page }) && await axe(op.page, 'new taxpayer form with errors');

  await test('new person with a valid codice fiscale lands on the taxpayer page', async () => {
    await cfField().fill(person.cf);
    await Promise.all([
      op.page.waitForNavigation({ waitUntil: 'load' }),
      op.page.locator('main form').getByRole('button', { name: /Registra|Salva/ }).click(),
    ]);
    expect(new RegExp(`^/ufficio/${slug}/contribuenti/\\d+$`).test(pathOf(op.page)),
      `landed on ${pathOf(op.page)} (codice fiscale ${person.cf})`);
    const main = await op.page.locator('main').innerText();
    expect(main.toUpperCase().includes(person.cf), `the page does not show ${person.cf}`);
    expect(main.includes(person.surname), `the page does not show ${person.surname}`);
  }, { needs: ['new person with an invalid codice fiscale: error next to the field, values kept'],
    page: op.page }) && await axe(op.page, 'new taxpayer saved');

  await test('sign out', async () => {
    await Promise.all([
      op.page.waitForNavigation({ waitUntil: 'load' }),
      op.page.getByRole('button', { name: 'Esci' }).click(),
    ]);
    expect(await op.page.getByRole('button', { name: 'Esci' }).count() === 0, 'still signed in after "Esci"');
    await axe(op.page, 'page after sign-out');
    await goto(op.page, `/ufficio/${slug}`);
    expect(await op.page.locator('input[name="password"]').count() === 1,
      `the office page is still reachable after sign-out (at ${pathOf(op.page)})`);
  }, { needs: signedIn, page: op.page });

  // Ente staff sees only their own Ente; another Ente is "not found".
  const staff = await newSession('ente.borgo');
  await test('ente.borgo signs in', async () => {
    await signIn(staff.page, 'ente.borgo');
    expect(/^\/ufficio\/borgo-fittizio\/?$/.test(pathOf(staff.page)), `landed on ${pathOf(staff.page)}`);
  }, { page: staff.page });
  await test('ente.borgo gets 404 for /ufficio/valle-immaginaria', async () => {
    const res = await goto(staff.page, '/ufficio/valle-immaginaria');
    expect(res.status() === 404, `answered ${res.status()}`);
    expect(await h1Text(staff.page) === 'Pagina non trovata', `h1 is "${await h1Text(staff.page)}"`);
  }, { needs: ['ente.borgo signs in'], page: staff.page }) && await axe(staff.page, 'not-found page');


  // The registry can be browsed without a query: the true total and pages.
  await test('registry list without a query shows everyone with the total', async () => {
    await goto(staff.page, `/ufficio/borgo-fittizio/contribuenti`);
    const count = (await staff.page.locator('main .sp-count').first().innerText()).trim();
    expect(/^\d[\d.]* contribuent/.test(count), `no total above the list: "${count}"`);
    expect(await staff.page.locator('main table tbody tr').count() > 0, 'no rows without a query');
    const crumbs = staff.page.getByRole('navigation', { name: 'Percorso di navigazione' });
    expect(await crumbs.count() === 1, 'no breadcrumb');
  }, { needs: ['ente.borgo signs in'], page: staff.page }) && await axe(staff.page, 'registry list');

  await test('accessibility statement in AgID form', async () => {
    await goto(staff.page, '/accessibilita');
    for (const h of ['Stato di conformità', 'Contenuti non accessibili', 'Procedura di attuazione',
      'Meccanismo di feedback e informazioni di contatto']) {
      expect(await staff.page.getByRole('heading', { name: h }).count() === 1, `no section "${h}"`);
    }
    expect(await staff.page.locator('main a[href^="mailto:"]').count() === 1, 'no feedback mail link');
  }, { page: staff.page }) && await axe(staff.page, 'accessibility statement');

  // Labels are not covered by headings, checkboxes or buttons.
  const admin = await newSession('admin');
  await test('admin signs in', async () => {
    await signIn(admin.page, 'admin');
    expect(await admin.page.getByRole('button', { name: 'Esci' }).count() === 1, 'not signed in');
  }, { page: admin.page });
  for (const [what, path] of [['new taxpayer form', '/ufficio/borgo-fittizio/contribuenti/nuovo'],
    ['user page', null], ['new user form', '/admin/utenti/nuovo']]) {
    await test(`no label covered: ${what}`, async () => {
      if (path) {
        await goto(admin.page, path);
      } else {
        await goto(admin.page, '/admin');
        await Promise.all([admin.page.waitForNavigation({ waitUntil: 'load' }),
          admin.page.locator('main table a[href^="/admin/utenti/"]').first().click()]);
        expect(await admin.page.getByRole('heading', { name: 'Nuova password' }).count() === 1,
          'no "Nuova password" section on the user page');
      }
      const bad = await coveredLabels(admin.page);
      expect(bad.length === 0, bad.slice(0, 10).join('\n'));
    }, { needs: ['admin signs in'], page: admin.page });
  }

  await test('taxpayer form shows only the fields of the chosen kind', async () => {
    const page = admin.page;
    await goto(page, '/ufficio/borgo-fittizio/contribuenti/nuovo');
    expect(await byLabel(page, 'Cognome').isVisible(), 'person fields hidden for a person');
    expect(!(await byLabel(page, 'Ragione sociale').isVisible()), 'company name shown for a person');
    expect(await page.locator('main .sp-nojs').isHidden(), 'the no-JavaScript button is still shown');
    await page.locator('label[for="f-kind-company"]').click();
    expect(await byLabel(page, 'Ragione sociale').isVisible(), 'company name not shown for a company');
    expect(!(await byLabel(page, 'Cognome').isVisible()), 'person fields still shown for a company');
    expect(await page.getByRole('link', { name: 'Annulla' }).count() === 1, 'no "Annulla" link');
  }, { needs: ['admin signs in'], page: admin.page });

  // At phone width the registry pages fit the screen and stay accessible.
  const phone = await newSession('phone-375', { width: 375, height: 812 });
  await test('phone width: sign in', async () => {
    await signIn(phone.page, 'operatore');
    expect(/^\/ufficio\/[a-z0-9-]+\/?$/.test(pathOf(phone.page)), `landed on ${pathOf(phone.page)}`);
  }, { page: phone.page });
  const phonePages = [['registry list', (s) => `/ufficio/${s}/contribuenti`],
    ['registry page 2', (s) => `/ufficio/${s}/contribuenti?pagina=2`],
    ['search results', (s) => `/ufficio/${s}/contribuenti?q=R`],
    ['new taxpayer form', (s) => `/ufficio/${s}/contribuenti/nuovo`]];
  for (const [what, path] of phonePages) {
    await test(`phone width (375px): ${what} does not scroll sideways`, async () => {
      const s = pathOf(phone.page).split('/')[2] || 'borgo-fittizio';
      await goto(phone.page, path(s));
      const extra = await sidewaysScroll(phone.page);
      expect(extra <= 0, `the page is ${extra}px wider than the screen`);
    }, { needs: ['phone width: sign in'], page: phone.page }) && await axe(phone.page, `375px ${what}`);
  }
  await test('phone width (375px): a taxpayer page does not scroll sideways', async () => {
    const s = pathOf(phone.page).split('/')[2];
    await goto(phone.page, `/ufficio/${s}/contribuenti`);
    await Promise.all([phone.page.waitForNavigation({ waitUntil: 'load' }),
      phone.page.locator('main table tbody tr').first().locator('a').first().click()]);
    const extra = await sidewaysScroll(phone.page);
    expect(extra <= 0, `the page is ${extra}px wider than the screen`);
  }, { needs: ['phone width: sign in'], page: phone.page }) && await axe(phone.page, '375px taxpayer page');

  // Without JavaScript: sign-in and search are plain HTML forms.
  const nojs = await newSession('no-javascript', { javaScript: false });
  await test('without JavaScript: sign in', async () => {
    await signIn(nojs.page, 'operatore');
    expect(/^\/ufficio\/[a-z0-9-]+\/?$/.test(pathOf(nojs.page)), `landed on ${pathOf(nojs.page)}`);
  }, { page: nojs.page });
  await test('without JavaScript: search', async () => {
    const s = pathOf(nojs.page).split('/')[2];
    const { rows } = await searchSomeone(nojs.page, s);
    expect(await rows.count() > 0, 'no results');
  }, { needs: ['without JavaScript: sign in'], page: nojs.page });


  await test('without JavaScript: one more address row, and the kind switch', async () => {
    const s = pathOf(nojs.page).split('/')[2];
    await goto(nojs.page, `/ufficio/${s}/contribuenti/nuovo`);
    const streets = nojs.page.locator('main input[name$="_street"]');
    const before = await streets.count();
    await Promise.all([nojs.page.waitForNavigation({ waitUntil: 'load' }),
      nojs.page.getByRole('button', { name: 'Aggiungi un indirizzo' }).click()]);
    expect(await streets.count() === before + 1, `address rows ${before} -> ${await streets.count()}`);
    await nojs.page.locator('label[for="f-kind-company"]').click();
    await Promise.all([nojs.page.waitForNavigation({ waitUntil: 'load' }),
      nojs.page.getByRole('button', { name: /Aggiorna il modulo/ }).click()]);
    expect(await byLabel(nojs.page, 'Ragione sociale').isVisible(), 'company name not shown after the switch');
    expect(!(await byLabel(nojs.page, 'Cognome').isVisible()), 'person fields still shown');
  }, { needs: ['without JavaScript: sign in'], page: nojs.page });

  // A citizen books on the Ente's public site without signing in, with the
  // keyboard only: Tab to move, Enter to follow links and submit, arrows in
  // the group of times, Space for the consent box.
  // the earlier browsers are done: close them, so their idle connections do
  // not hold the server's per-client slots while this one starts
  for (const s of sessions) await s.context.close().catch(() => {});
  const citizen = await newSession('citizen');
  const tabTo = async (page, selector, max = 120) => {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((sel) => document.activeElement && document.activeElement.matches(sel), selector))
        return;
    }
    throw new Failure(`Tab never reached ${selector}`);
  };
  await test('booking without signing in, keyboard only', async () => {
    const p = citizen.page;
    await goto(p, '/enti/borgo-fittizio/sportelli');
    expect((await h1Text(p)).includes('Sportelli'), 'not the Ente counters page');
    await axe(p, 'Ente counters page');
    await tabTo(p, 'a[href$="/prenota"]');
    await Promise.all([p.waitForNavigation({ waitUntil: 'load' }), p.keyboard.press('Enter')]);
    await axe(p, 'booking topics');
    await tabTo(p, 'a[href*="/prenota/tari"]');
    await Promise.all([p.waitForNavigation({ waitUntil: 'load' }), p.keyboard.press('Enter')]);
    for (let week = 0; week < 4; week++) {
      if (await p.locator('input[name="start"]:not([disabled])').count()) break;
      await tabTo(p, 'nav[aria-label="Settimane"] a:last-child');
      await Promise.all([p.waitForNavigation({ waitUntil: 'load' }), p.keyboard.press('Enter')]);
    }
    await axe(p, 'booking week');
    await tabTo(p, 'input[name="start"]');
    await p.keyboard.press('ArrowRight'); /* the next free time */
    const chosen = await p.evaluate(() => document.activeElement.id);
    expect(await p.locator(`#${chosen}`).isChecked(), 'the arrow key did not select a time');
    const typeInto = async (sel, text) => { await tabTo(p, sel); await p.keyboard.type(text); };
    await typeInto('#f-name', 'Luca Verdi');
    await typeInto('#f-fiscal_code', 'VRDLCU70C10L219C');
    await typeInto('#f-email', 'luca.verdi@example.org');
    await typeInto('#f-reason', 'Chiarimenti sulla TARI');
    await tabTo(p, '#f-privacy_consent');
    await p.keyboard.press('Space');
    expect(await p.locator('#f-privacy_consent').isChecked(), 'Space did not tick the consent box');
    await tabTo(p, 'button[type="submit"]');
    await Promise.all([p.waitForNavigation({ waitUntil: 'load' }), p.keyboard.press('Enter')]);
    expect(pathOf(p).includes('/prenotazione/'), `not on the booking page: ${pathOf(p)}`);
    expect((await p.locator('main').innerText()).includes('Prenotazione confermata'), 'no confirmation');
    await axe(p, 'booking confirmed');
  }, { page: citizen.page });
  await test('booking form without a time: the error is announced next to the times', async () => {
    const p = citizen.page;
    await goto(p, '/enti/borgo-fittizio/prenota/tari');
    const typeInto = async (sel, text) => { await tabTo(p, sel); await p.keyboard.type(text); };
    await typeInto('#f-name', 'Anna Neri');
    await typeInto('#f-fiscal_code', 'RSSMRA80A01H501U');
    await typeInto('#f-email', 'anna.neri@example.org');
    await tabTo(p, '#f-privacy_consent');
    await p.keyboard.press('Space');
    await tabTo(p, 'button[type="submit"]');
    await Promise.all([p.waitForNavigation({ waitUntil: 'load' }), p.keyboard.press('Enter')]);
    const summary = p.locator('#errori-modulo a[href="#f-start"]');
    expect(await summary.count() === 1, 'no error summary linking to the times');
    expect(await p.locator('#f-start-error').isVisible(), 'no message next to the times');
    expect(await p.locator('#f-start').getAttribute('aria-describedby') === 'f-start-error',
      'the group of times does not point at its message');
    expect(await p.locator('#f-name').inputValue() === 'Anna Neri', 'typed values lost');
    await axe(p, 'booking form with errors');
  }, { needs: ['booking without signing in, keyboard only'], page: citizen.page });

  await test('no page errors, CSP violations or requests to other origins', async () => {
    expect(problems.length === 0, [...new Set(problems)].join('\n'));
  });
}

try {
  await main();
} catch (err) {
  tapNotOk('test harness', (err && err.stack) || String(err));
} finally {
  await closeAll();
}
console.log(`1..${count}`);
console.log(`${count - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
