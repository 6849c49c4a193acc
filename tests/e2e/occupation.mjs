// Browser test of the occupation of public land (issue 9, seed 000): the
// Ente sends a new declaration from its page, the operator processes it
// (notice issued) and opens a surface variation, which waits for the Ente;
// the Ente approves it on its page and a difference notice appears. A
// cessation: the operator asks for photos, the taxpayer uploads one from
// the link in the mail (read from the outbox), the operator records the
// inspection with its photo. axe-core on every page. Prints TAP.
//
//   BASE_URL=http://127.0.0.1:8080 SPORTELLO_DATABASE_URL=sqlite:PATH node tests/e2e/occupation.mjs
import { execFileSync } from 'node:child_process';
import { deflateSync } from 'node:zlib';
import { expect, harness } from './harness.mjs';

const h = harness('occupation');
const { BASE_URL, test, session, pathOf, goto, submit, axe, signIn, problems } = h;
const SLUG = 'borgo-fittizio';
const DB = (process.env.SPORTELLO_DATABASE_URL || '').replace(/^sqlite:/, '');

function sql(statement) {
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', DB, statement], { encoding: 'utf8' }).trim();
}

// a codice fiscale with its check character
function cf(s) {
  const odd = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8,
    12, 14, 16, 10, 22, 25, 24, 23];
  const idx = (c) => (c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 55);
  let t = 0;
  for (let i = 0; i < s.length; i++) {
    const v = idx(s[i]);
    t += i % 2 === 0 ? odd[v] : (s[i] >= '0' && s[i] <= '9' ? v : v - 10);
  }
  return s + String.fromCharCode(65 + (t % 26));
}

function png() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (kind, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(kind), data]);
    const c = Buffer.alloc(4); c.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0); ihdr.writeUInt32BE(2, 4); ihdr[8] = 8; ihdr[9] = 2;
  const raw = Buffer.from([0, 0, 128, 0, 0, 128, 0, 0, 0, 128, 0, 0, 128, 0]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

async function choose(page, name, value) {
  const radio = page.locator(`input[type="radio"][name="${name}"][value="${value}"]`);
  const id = await radio.getAttribute('id');
  await page.locator(`label[for="${id}"]`).click();
  expect(await radio.isChecked(), `${name}=${value} not chosen`);
}

async function main() {
  const stamp = Date.now().toString(36);
  const place = `Piazza Grande ${stamp}`;
  const tpMail = `occ.${stamp}@example.org`;
  let declPath = null, varPath = null, cessPath = null;
  const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);
  const ente = await session('ente.borgo');
  const op = await session('operatore');
  const citizen = await session('contribuente');

  await test('the Ente sends a new declaration from its page', async () => {
    await signIn(ente, 'ente.borgo');
    await goto(ente, `/ufficio/${SLUG}/occupazioni/nuova`);
    await axe(ente, 'new declaration form');
    const values = { 'taxpayer.fiscal_code': cf('GLLMRA80A01H501'), 'taxpayer.surname': 'Gialli',
      'taxpayer.given_name': 'Mara', 'taxpayer.email': tpMail, place, zone: '1', use: 'dehors',
      surface_m2: '10', start: day(30), end: day(39) };
    for (const [k, v] of Object.entries(values)) await ente.locator(`[name="${k}"]`).fill(v);
    await submit(ente, ente.getByRole('button', { name: 'Invia la dichiarazione' }));
    expect(new RegExp(`^/ufficio/${SLUG}/pratiche/\\d+$`).test(pathOf(ente)), `landed on ${pathOf(ente)}`);
    declPath = pathOf(ente);
  }, { page: ente });

  await test('the operator processes it: the notice is issued', async () => {
    await signIn(op, 'operatore');
    await goto(op, declPath);
    await axe(op, 'declaration case');
    await submit(op, op.getByRole('button', { name: "Calcola il canone ed emetti l'avviso" }));
    const main = await op.locator('main').innerText();
    expect(main.includes('Avviso emesso') || main.includes('Avviso inviato'), 'no notice issued');
    expect(main.includes('Apri una variazione'), 'no link to open a variation');
  }, { needs: ['the Ente sends a new declaration from its page'], page: op });

  await test('the operator opens a surface variation: it waits for the Ente', async () => {
    await submit(op, op.getByRole('link', { name: 'Apri una variazione' }));
    await axe(op, 'variation form');
    await choose(op, 'what', 'surface');
    await op.locator('[name="surface_m2"]').fill('venti');
    await submit(op, op.getByRole('button', { name: 'Apri la variazione' }));
    expect(await op.locator('#f-surface_m2-error').count() === 1, 'no message next to the surface');
    await axe(op, 'variation form with errors');
    await op.locator('[name="surface_m2"]').fill('20');
    await submit(op, op.getByRole('button', { name: 'Apri la variazione' }));
    varPath = pathOf(op);
    expect(varPath !== declPath && /\/pratiche\/\d+$/.test(varPath), `landed on ${varPath}`);
    const main = await op.locator('main').innerText();
    expect(main.includes("in attesa dell'approvazione dell'Ente"), 'the variation does not wait for the Ente');
    expect(!main.includes('Differenza dovuta'), 'a difference before the approval');
  }, { needs: ['the operator processes it: the notice is issued'], page: op });

  await test('the Ente approves it on its page: a difference notice appears', async () => {
    await goto(ente, varPath);
    await axe(ente, 'variation case (Ente)');
    await choose(ente, 'decisione', 'approva');
    await submit(ente, ente.getByRole('button', { name: 'Invia la decisione' }));
    const main = await ente.locator('main').innerText();
    expect(main.includes('Variazione approvata') || main.includes('Avviso emesso'), 'not approved');
    expect(main.includes('Differenza dovuta'), 'no difference notice');
  }, { needs: ['the operator opens a surface variation: it waits for the Ente'], page: ente });

  let link = null;
  await test('a cessation: the operator asks for photographs', async () => {
    await goto(op, declPath);
    await submit(op, op.getByRole('link', { name: 'Apri una cessazione' }));
    await axe(op, 'cessation form');
    await op.locator('[name="ceased_on"]').fill(day(36));
    await submit(op, op.getByRole('button', { name: 'Apri la cessazione' }));
    cessPath = pathOf(op);
    expect((await op.locator('main').innerText()).includes('Sopralluogo entro'), 'no inspection deadline');
    await submit(op, op.getByRole('button', { name: 'Chiedi le fotografie al contribuente' }));
    const body = sql(`SELECT body_text FROM outbox WHERE to_addr = '${tpMail}' AND body_text LIKE '%/occupazioni/foto/%'`);
    const m = /\/enti\/[a-z0-9-]+\/occupazioni\/foto\/[0-9a-f]{32}/.exec(body);
    expect(m, 'no upload link in the mail');
    link = m[0];
  }, { needs: ['the operator processes it: the notice is issued'], page: op });

  await test('the taxpayer uploads a photo from the link', async () => {
    await goto(citizen, link);
    await axe(citizen, 'photo upload page');
    await citizen.locator('input[name="foto"]').setInputFiles({ name: 'ripristino.png', mimeType: 'image/png',
      buffer: png() });
    await submit(citizen, citizen.getByRole('button', { name: 'Invia le fotografie' }));
    expect((await citizen.locator('main').innerText()).includes('Fotografie ricevute'), 'not received');
    await axe(citizen, 'photo upload page (received)');
  }, { needs: ['a cessation: the operator asks for photographs'], page: citizen });

  await test('the operator records the inspection with a photo', async () => {
    await goto(op, cessPath);
    expect((await op.locator('main').innerText()).includes('ripristino.png'), 'the photo is not on the case');
    await axe(op, 'cessation case');
    await submit(op, op.getByRole('link', { name: 'Registra il sopralluogo' }));
    await axe(op, 'inspection form');
    await op.locator('[name="day"]').fill(day(1));
    await op.locator('[name="inspector"]').fill('Agente Bruni');
    await op.locator('[name="report"]').fill('Luoghi ripristinati, nessun danno.');
    await op.locator('input[name="foto"]').setInputFiles({ name: 'sopralluogo.png', mimeType: 'image/png',
      buffer: png() });
    await submit(op, op.getByRole('button', { name: "Registra e invia l'esito all'Ente" }));
    const main = await op.locator('main').innerText();
    expect(main.includes('Agente Bruni') && main.includes('Luoghi ripristinati'), 'no inspection record');
    expect(main.includes('sopralluogo.png'), 'the inspection photo is not on the case');
  }, { needs: ['the taxpayer uploads a photo from the link'], page: op });

  await test('no page errors, CSP violations or requests to other origins', async () => {
    expect(problems.length === 0, [...new Set(problems)].join('\n'));
  });
}

await h.run(main);
