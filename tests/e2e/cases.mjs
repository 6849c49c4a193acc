// Browser tests of cases (pratiche): an operator registers a request taken
// at the counter, the office manager assigns it, the operator takes it,
// replies and closes it, and the requester's public follow page shows the
// outcome; axe-core on every page, and the queue and the case page also
// without JavaScript. Prints TAP.
//
//   BASE_URL=http://127.0.0.1:8080 node tests/e2e/cases.mjs
import { expect, harness } from './harness.mjs';

const h = harness('cases');
const { BASE_URL, test, session, pathOf, goto, submit, axe, signIn, problems } = h;
const SLUG = 'borgo-fittizio';

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

await h.run(main);
