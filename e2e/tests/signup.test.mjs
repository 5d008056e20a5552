// A worker on a phone makes their own account bound to their record, downloads their data and
// asks for a correction; the city administrator decides it on the person's page; the worker
// sees it decided. Against the real binary with a small demo city.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, PASSWORD } from '../lib/server.mjs';
import { launch, context, visit, signIn, shoot } from '../lib/browser.mjs';

let server;
let browser;

before(async () => {
  server = await start();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a worker signs up, downloads their data and files a correction an administrator decides', async () => {
  const me = server.stranger;
  const worker = await context(browser, server.base, { width: 390 });
  const page = await worker.newPage();
  await visit(page, '/login');
  await Promise.all([page.waitForURL((u) => u.pathname === '/signup'), page.click('a[href="/signup"]')]);
  const fill = async (name, number) => {
    await page.fill('input[name=name]', name);
    await page.fill('input[name=id_number]', number);
    await page.fill('input[name=contact]', '13800138000');
    await page.fill('input[name=username]', 'self-signed');
    await page.fill('input[name=password]', PASSWORD);
    await page.fill('input[name=password_again]', PASSWORD);
    await Promise.all([page.waitForLoadState('networkidle'), page.click('form[action="/signup"] button[type=submit]')]);
  };
  await fill('不是本人', me.id_number);
  assert.match(await page.textContent('[role=alert]'), /不匹配/, 'a wrong name is refused');
  await shoot(page, 'signup-refused-390-zh');
  await fill(me.name, me.id_number);
  assert.equal(new URL(page.url()).pathname, '/login');
  await page.fill('input[name=username]', 'self-signed');
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/persons/')), page.click('#login-form button[type=submit]')]);
  assert.match(await page.textContent('h1'), new RegExp(me.name));

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-download=xlsx]')]);
  const bytes = await (await download.createReadStream()).toArray();
  assert.equal(Buffer.concat(bytes).subarray(0, 2).toString(), 'PK', 'an XLSX workbook');

  await page.selectOption('#correction-form select[name=field]', 'name');
  await page.fill('#correction-form input[name=value]', `${me.name}改`);
  await page.fill('#correction-form input[name=reason]', '户籍更名');
  await Promise.all([page.waitForLoadState('networkidle'), page.click('#correction-form button[type=submit]')]);
  assert.match(await page.textContent('#corrections'), /待处理/);
  await shoot(page, 'me-correction-390-zh');
  const personPath = new URL(page.url()).pathname;

  const admin = await context(browser, server.base, { width: 1280 });
  const a = await signIn(admin, 'admin');
  await visit(a, personPath);
  await a.fill('#corrections input[name=note]', '核实户籍');
  await Promise.all([a.waitForLoadState('networkidle'), a.click('#corrections button[value=accept]')]);
  assert.match(await a.textContent('h1'), new RegExp(`${me.name}改`));
  await admin.close();

  await visit(page, personPath);
  assert.match(await page.textContent('#corrections'), /已采纳/);
  assert.deepEqual(worker.errors, [], 'no console errors or exceptions');
  await worker.close();
});
