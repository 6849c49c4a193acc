// The shared harness of the browser tests that drive the office and the
// portal with several signed-in users (cases.mjs, services.mjs): TAP output,
// tests that depend on earlier ones, Chromium sessions that record page
// errors, CSP violations and requests to other origins, axe-core with the
// WCAG 2.1 AA tags, and the office sign-in.
//
//   const h = harness('cases');        // the name goes in messages and temp dirs
//   await h.run(async () => { const op = await h.session('operatore'); ... });
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const requireWeb = createRequire(join(root, 'web', 'package.json'));
const { chromium } = requireWeb('playwright-core');
const AXE_SOURCE = readFileSync(requireWeb.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export class Failure extends Error {}
export const expect = (cond, message) => { if (!cond) throw new Failure(message); };

export function harness(name) {
  const BASE_URL = (process.env.BASE_URL || '').replace(/\/$/, '');
  if (!BASE_URL) {
    console.error(`${name}.mjs: set BASE_URL`);
    process.exit(2);
  }
  const ORIGIN = new URL(BASE_URL).origin;
  const PASSWORD = process.env.E2E_PASSWORD || 'demo-password-2026';
  let count = 0, failed = 0;
  const passed = new Set();
  const sessions = [];
  const problems = [];
  const audited = new Set();

  const ok = (what) => { count++; passed.add(what); console.log(`ok ${count} - ${what}`); };
  function notOk(what, diag) {
    count++; failed++;
    console.log(`not ok ${count} - ${what}`);
    for (const line of String(diag).split('\n')) console.log(`  # ${line}`);
  }

  async function test(what, fn, { needs = [], page = null } = {}) {
    const missing = needs.filter((n) => !passed.has(n));
    if (missing.length) return notOk(what, `not run: depends on "${missing.join('", "')}"`);
    try {
      await fn();
      ok(what);
    } catch (err) {
      let diag = err instanceof Failure ? err.message : (err && err.stack) || String(err);
      if (page) diag += `\nurl: ${page.url()}`;
      notOk(what, diag);
    }
  }

  async function session(label, { javaScript = true } = {}) {
    const dir = mkdtempSync(join(tmpdir(), `sportello-e2e-${name}-`));
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

  // Runs main, closes every session, prints the plan and exits (1 on a failure).
  async function run(main) {
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
  }

  return { BASE_URL, ORIGIN, test, session, pathOf, goto, submit, axe, signIn, problems, run };
}
