// Browser test of an online service (issue 9, seed 004): a citizen signed
// in on the portal (demo sign-in: portal.demo_login) fills the form of
// "passo carrabile" with one wrong field first (its message next to it,
// everything typed kept), saves a draft, resumes it and submits it with an
// attachment and the serial number of its marca da bollo; the operator takes
// it in charge and asks for an integration,
// the citizen answers with a document, the operator approves: four
// protocolled PDFs sit in the service's fascicolo of the year. axe-core on
// every page; the form also without JavaScript.
// Prints TAP.
//
//   BASE_URL=http://127.0.0.1:8080 node tests/e2e/services.mjs
import { expect, harness } from './harness.mjs';

const h = harness('services');
const { BASE_URL, test, session, pathOf, goto, submit, axe, signIn, problems } = h;
const SLUG = 'borgo-fittizio';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n' +
  '2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

async function fill(page, values) {
  for (const [name, value] of Object.entries(values)) {
    const radio = page.locator(`input[type="radio"][name="${name}"][value="${value}"]`);
    if (await radio.count()) {
      // as a user does: click its label (Bootstrap Italia draws the control there)
      const id = await radio.getAttribute('id');
      await page.locator(`label[for="${id}"]`).click();
      expect(await radio.isChecked(), `${name}=${value} not chosen`);
    }
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
      lavori: 'no', _bollo: 'seriale', _bollo_seriale: '01234567890123', _bollo_data: '2026-01-15' });
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

await h.run(main);
