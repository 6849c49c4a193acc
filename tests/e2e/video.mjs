// Browser test of a video appointment: two headless Chromium instances with
// fake camera and microphone, the citizen by the link of the confirmation
// and the operator signed in, both reach connectionState 'connected' and
// receive media (inbound-rtp bytes > 0 in getStats), once directly and once
// with iceTransportPolicy 'relay' through our coturn (the selected
// candidate pair is relay on both sides); the chat goes across; a third
// party with a guessed room id (404) or the room once over (403) is
// refused. With FIREFOX set (Debian's firefox-esr), Firefox joins as the
// citizen, directly and through coturn, checked from the operator's side.
// Prints TAP.
//
//   BASE_URL=... EXPIRED_URL=... ENTE=... ROOM=... APPT=... node tests/e2e/video.mjs
//
// BASE_URL: a server whose clock (SPORTELLO_TEST_NOW) is inside the room's
// window; EXPIRED_URL: one on the same database whose clock is after it.
// tests/e2e/run-video.sh sets all of this up.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
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
    console.error(`video.mjs: set ${k}`);
    process.exit(2);
  }
  return v.replace(/\/$/, '');
};
const BASE_URL = env('BASE_URL');
const EXPIRED_URL = env('EXPIRED_URL');
const ENTE = env('ENTE');
const ROOM = env('ROOM');
const APPT = env('APPT');
const PASSWORD = process.env.E2E_PASSWORD || 'demo-password-2026';
const ORIGINS = new Set([new URL(BASE_URL).origin, new URL(EXPIRED_URL).origin]);
const TIMEOUT = 30000;
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
  // real host addresses instead of mDNS names (no mDNS responder here)
  '--disable-features=WebRtcHideLocalIpsWithMdns'];

let count = 0, failed = 0;
const failedNames = new Set();
class Failure extends Error {}
const expect = (cond, message) => { if (!cond) throw new Failure(message); };

async function test(name, fn, { needs = [] } = {}) {
  count++;
  const missing = needs.filter((n) => failedNames.has(n));
  if (missing.length) {
    failed++;
    failedNames.add(name);
    console.log(`not ok ${count} - ${name}\n  # not run: depends on "${missing.join('", "')}"`);
    return;
  }
  try {
    await fn();
    console.log(`ok ${count} - ${name}`);
  } catch (err) {
    failed++;
    failedNames.add(name);
    const diag = err instanceof Failure ? err.message : (err && err.stack) || String(err);
    console.log(`not ok ${count} - ${name}`);
    for (const line of String(diag).split('\n')) console.log(`  # ${line}`);
  }
}

const sessions = [];
const problems = [];
async function newSession(label) {
  const dir = mkdtempSync(join(tmpdir(), 'sportello-video-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: LAUNCH_ARGS,
    locale: 'it-IT',
    viewport: { width: 1280, height: 900 },
    permissions: ['camera', 'microphone'],
  });
  context.setDefaultTimeout(TIMEOUT);
  const page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (e) => problems.push(`${label}: page error on ${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    const t = m.text();
    if (/Content Security Policy/.test(t) && !/Loading the font 'data:/.test(t))
      problems.push(`${label}: CSP violation on ${page.url()}: ${t.slice(0, 300)}`);
  });
  page.on('request', (r) => {
    const u = r.url();
    if (/^https?:/.test(u) && !ORIGINS.has(new URL(u).origin)) problems.push(`${label}: request leaves our origin: ${u}`);
  });
  const s = { label, context, page, dir };
  sessions.push(s);
  return s;
}

const citizenPath = `/enti/${ENTE}/video/${ROOM}`;
const operatorPath = `/ufficio/${ENTE}/agenda/${APPT}/video`;

async function connected(page) {
  await page.waitForFunction(() => {
    const el = document.getElementById('video-call');
    return el && el.dataset.state === 'connected';
  }, null, { timeout: TIMEOUT });
}

// Waits until video bytes arrive; returns them with the selected pair's
// local and remote candidate types.
async function mediaStats(page) {
  const deadline = Date.now() + 20000;
  let last = null;
  while (Date.now() < deadline) {
    last = await page.evaluate(async () => {
      const pc = window.sportelloCall;
      if (!pc) return null;
      const stats = await pc.getStats();
      let video = 0, audio = 0, pairId = null;
      stats.forEach((r) => {
        if (r.type === 'inbound-rtp' && r.kind === 'video') video += r.bytesReceived || 0;
        if (r.type === 'inbound-rtp' && r.kind === 'audio') audio += r.bytesReceived || 0;
        if (r.type === 'transport' && r.selectedCandidatePairId) pairId = r.selectedCandidatePairId;
      });
      const pair = pairId ? stats.get(pairId) : null;
      const local = pair ? stats.get(pair.localCandidateId) : null;
      const remote = pair ? stats.get(pair.remoteCandidateId) : null;
      return { state: pc.connectionState, policy: pc.getConfiguration().iceTransportPolicy, video, audio,
        local: local && local.candidateType, remote: remote && remote.candidateType,
        senders: pc.getSenders().map((x) => x.track && x.track.kind).join(','),
        media: document.getElementById('video-call').dataset.media,
        status: document.getElementById('video-status').textContent };
    });
    if (last && last.video > 0 && last.audio > 0 && last.local) return last;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Failure(`no media received: ${JSON.stringify(last)}`);
}

async function callBoth(citizen, operator, query) {
  // leave any earlier call first, so no page of it answers the new one
  await citizen.page.goto('about:blank');
  await operator.page.goto('about:blank');
  const r1 = await operator.page.goto(BASE_URL + operatorPath + query, { waitUntil: 'load' });
  expect(r1 && r1.status() === 200, `operator page: ${r1 && r1.status()}`);
  const r2 = await citizen.page.goto(BASE_URL + citizenPath + query, { waitUntil: 'load' });
  expect(r2 && r2.status() === 200, `citizen page: ${r2 && r2.status()}`);
  await Promise.all([connected(citizen.page), connected(operator.page)]);
  return [await mediaStats(citizen.page), await mediaStats(operator.page)];
}

// Firefox (Debian's firefox-esr) has no driver here: playwright-core drives
// only Playwright's own Firefox builds. It runs headless with fake media
// and no permission prompt (user.js) as the citizen, and the operator's
// Chromium checks the call from its side: connected (ICE and DTLS done at
// both ends) and media received from Firefox.
const FIREFOX = process.env.FIREFOX || '';
const FIREFOX_PREFS = [
  ['media.navigator.streams.fake', true], ['media.navigator.permission.disabled', true],
  ['media.autoplay.default', 0], ['media.peerconnection.ice.obfuscate_host_addresses', false],
  // coturn listens on loopback in the test, and relays from loopback addresses
  ['media.peerconnection.ice.loopback', true],
  ['browser.shell.checkDefaultBrowser', false], ['datareporting.policy.dataSubmissionEnabled', false],
  ['toolkit.telemetry.reportingPolicy.firstRun', false], ['browser.aboutwelcome.enabled', false],
  ['app.update.enabled', false], ['network.captive-portal-service.enabled', false],
  ['browser.startup.homepage_override.mstone', 'ignore'],
].map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`).join('\n');

async function firefoxCall(citizen, operator, query) {
  const dir = mkdtempSync(join(tmpdir(), 'sportello-video-firefox-'));
  writeFileSync(join(dir, 'user.js'), `${FIREFOX_PREFS}\n`);
  await citizen.page.goto('about:blank');
  await operator.page.goto('about:blank');
  const ff = spawn(FIREFOX, ['--headless', '--no-remote', '--profile', dir, BASE_URL + citizenPath + query],
    { stdio: 'ignore', env: { ...process.env, MOZ_HEADLESS: '1' } });
  const exited = new Promise((r) => ff.on('exit', r));
  try {
    const r = await operator.page.goto(BASE_URL + operatorPath + query, { waitUntil: 'load' });
    expect(r && r.status() === 200, `operator page: ${r && r.status()}`);
    await operator.page.waitForFunction(() => {
      const el = document.getElementById('video-call');
      return el && el.dataset.state === 'connected';
    }, null, { timeout: 90000 });
    return await mediaStats(operator.page);
  } finally {
    ff.kill('SIGTERM');
    const t = setTimeout(() => ff.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const operator = await newSession('operator');
  const citizen = await newSession('citizen');
  const third = await newSession('third party');

  await test('the operator signs in', async () => {
    const p = operator.page;
    await p.goto(`${BASE_URL}/accedi`, { waitUntil: 'load' });
    await p.fill('input[name="username"]', 'operatore');
    await p.fill('input[name="password"]', PASSWORD);
    await Promise.all([p.waitForNavigation(), p.getByRole('button', { name: 'Accedi' }).click()]);
    expect(new URL(p.url()).pathname.startsWith('/ufficio'), `after sign-in: ${p.url()}`);
  });

  await test('direct call: both connected and receiving media', async () => {
    const [c, o] = await callBoth(citizen, operator, '');
    expect(c.policy === 'all' && o.policy === 'all', `policies ${c.policy} ${o.policy}`);
    expect(c.local !== 'relay' && o.local !== 'relay', `direct pair expected: ${JSON.stringify([c, o])}`);
    console.log(`  # direct: citizen ${JSON.stringify(c)}, operator ${JSON.stringify(o)}`);
  }, { needs: ['the operator signs in'] });

  await test('the chat goes across and stays on the page', async () => {
    await citizen.page.fill('#video-chat-text', 'Buongiorno, mi vede?');
    await citizen.page.focus('#video-chat-text');
    await citizen.page.keyboard.press('Tab'); // to the "Invia" button
    await citizen.page.keyboard.press('Enter');
    await operator.page.waitForFunction(() => document.getElementById('video-chat-log').textContent.includes('mi vede?'),
      null, { timeout: 10000 });
    const log = await operator.page.textContent('#video-chat-log');
    expect(/Cittadino, \d\d:\d\d: Buongiorno, mi vede\?/.test(log), `chat log: ${log}`);
  }, { needs: ['direct call: both connected and receiving media'] });

  await test('axe: the call page (citizen)', async () => {
    await citizen.page.evaluate(AXE_SOURCE);
    const result = await citizen.page.evaluate(() => window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    }));
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.length === 0, bad.map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n'));
  }, { needs: ['direct call: both connected and receiving media'] });

  await test('relay call through coturn: both connected over relay candidates', async () => {
    const [c, o] = await callBoth(citizen, operator, '?relay=1');
    expect(c.policy === 'relay' && o.policy === 'relay', `policies ${c.policy} ${o.policy}`);
    expect(c.local === 'relay' && o.local === 'relay', `relay pair expected: ${JSON.stringify([c, o])}`);
    console.log(`  # relay: citizen ${JSON.stringify(c)}, operator ${JSON.stringify(o)}`);
  }, { needs: ['the operator signs in'] });

  for (const [name, query, type] of [['Firefox citizen, direct', '', null], ['Firefox citizen, relay', '?relay=1', 'relay']]) {
    if (!FIREFOX) {
      count++;
      console.log(`ok ${count} - ${name} # SKIP firefox not installed`);
      continue;
    }
    await test(`${name}: the operator's Chromium connected and receiving Firefox's media`, async () => {
      const o = await firefoxCall(citizen, operator, query);
      if (type) expect(o.remote === 'relay' && o.local === 'relay', `relay pair expected: ${JSON.stringify(o)}`);
      console.log(`  # ${name}: operator ${JSON.stringify(o)}`);
    }, { needs: ['the operator signs in'] });
  }

  await test('a third party with a guessed room id is refused (404)', async () => {
    const r = await third.page.goto(`${BASE_URL}/enti/${ENTE}/video/${randomBytes(16).toString('hex')}`);
    expect(r.status() === 404, `status ${r.status()}`);
    expect((await third.page.textContent('main h1')).includes('Pagina non trovata'), 'no "Pagina non trovata"');
    const c = await third.page.evaluate(async (u) => (await fetch(u)).status,
      `${BASE_URL}/enti/${ENTE}/video/${randomBytes(16).toString('hex')}/config`);
    expect(c === 404, `config: ${c}`);
    const o = await third.page.goto(BASE_URL + operatorPath);
    expect(new URL(third.page.url()).pathname === '/accedi', `operator room without signing in: ${o.status()} ${third.page.url()}`);
  });

  await test('the room once over is refused (403, Italian page)', async () => {
    const r = await third.page.goto(EXPIRED_URL + citizenPath);
    expect(r.status() === 403, `status ${r.status()}`);
    const text = await third.page.textContent('main');
    expect(text.includes('La videochiamata è chiusa'), `page: ${text.slice(0, 300)}`);
    expect(!(await third.page.$('#video-call')), 'the call is offered on a closed room');
  });

  await test('no page errors, CSP violations or foreign requests', async () => {
    expect(problems.length === 0, problems.join('\n'));
  });

  for (const s of sessions) {
    await s.context.close().catch(() => {});
    rmSync(s.dir, { recursive: true, force: true });
  }
  console.log(`1..${count}`);
  console.log(`${count - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch(async (e) => {
  console.log(`not ok ${count + 1} - video test crashed\n  # ${String(e && e.stack).split('\n').join('\n  # ')}`);
  for (const s of sessions) await s.context.close().catch(() => {});
  process.exit(1);
});
