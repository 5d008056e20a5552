// 系统管理 in the browser, against the real binary: the city administrator creates a district
// administrator and grants a second district from the forms (desktop); a district administrator
// on a phone is refused an account beyond their district, in words, and creates one within it;
// the audit trail page checks the chain.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, PASSWORD } from '../lib/server.mjs';
import { launch, context, visit, signIn, nav, shoot } from '../lib/browser.mjs';

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

async function withContext(opts, body) {
  const ctx = await context(browser, server.base, opts);
  try {
    await body(ctx);
    assert.deepEqual(ctx.errors, [], 'no console errors or exceptions');
  } finally {
    await ctx.close();
  }
}

async function createAccount(page, { username, display, kind, district }) {
  await page.fill('form[method=post][action="/admin/users"] input[name=username]', username);
  await page.fill('form[method=post][action="/admin/users"] input[name=display_name]', display);
  await page.fill('form[method=post][action="/admin/users"] input[name=password]', PASSWORD);
  await page.selectOption('form[method=post][action="/admin/users"] select[name=kind]', kind);
  if (district) await page.selectOption('form[method=post][action="/admin/users"] select[name=district]', district);
  await Promise.all([page.waitForLoadState('networkidle'), page.click('form[method=post][action="/admin/users"] button[type=submit]')]);
}

test('the city administrator creates a district administrator and grants a role from the forms', async () => {
  await withContext({ width: 1280 }, async (ctx) => {
    const page = await signIn(ctx, 'admin');
    assert.ok((await nav(page)).includes('/admin'), 'the navigation offers 系统管理');
    await visit(page, '/admin/users');
    await shoot(page, 'admin-users-1280-zh');
    await createAccount(page, { username: 'hexi-admin', display: '河西区管理员', kind: 'district-admin', district: '120103' });
    assert.match(page.url(), /\/admin\/users\/hexi-admin/);
    assert.match(await page.textContent('main'), /区级管理员（河西区）/);
    await page.selectOption('form[action$="/roles"] select[name=kind]', 'district-admin');
    await page.selectOption('form[action$="/roles"] select[name=district]', '120104');
    await Promise.all([page.waitForLoadState('networkidle'), page.click('form[action$="/roles"] button[type=submit]')]);
    const roles = await page.$$eval('[data-role]', (rs) => rs.map((r) => r.textContent.trim()));
    assert.deepEqual(roles, ['区级管理员（河西区）', '区级管理员（南开区）']);
    await shoot(page, 'admin-user-1280-zh');

    await visit(page, '/admin/audit');
    await Promise.all([page.waitForLoadState('networkidle'), page.click('form[action="/admin/audit/verify"] button')]);
    assert.equal(await page.getAttribute('[data-chain]', 'data-chain'), 'intact');
    await shoot(page, 'admin-audit-1280-zh');
  });
});

test('a district administrator on a phone cannot create an account beyond their district', async () => {
  await withContext({ width: 390 }, async (ctx) => {
    const page = await signIn(ctx, 'district');
    const own = server.holder.district;
    await visit(page, '/admin/users');
    const offered = await page.$$eval('form[method=post][action="/admin/users"] select[name=district] option', (os) => os.map((o) => o.value).filter(Boolean));
    assert.deepEqual(offered, [own], 'only their own district is offered');
    // A form sent with another district anyway (as a crafted request would be) is refused.
    const other = own === '120101' ? '120102' : '120101';
    await page.$eval('form[method=post][action="/admin/users"] select[name=district]', (s, v) => { s.add(new Option(v, v)); }, other);
    await createAccount(page, { username: 'beyond', display: '越权', kind: 'district-admin', district: other });
    assert.ok(await page.isVisible('[role=alert]'), 'the refusal is shown');
    assert.match(await page.textContent('[role=alert]'), /授|权/);
    await shoot(page, 'admin-users-refused-390-zh');
    await createAccount(page, { username: 'within', display: '本区', kind: 'district-admin', district: own });
    assert.match(page.url(), /\/admin\/users\/within/);
    await shoot(page, 'admin-user-390-zh');
  });
});

test('an officer files an institution, plans a session with examiners and opens it', async () => {
  await withContext({ width: 1280 }, async (ctx) => {
    const page = await signIn(ctx, 'admin');
    await visit(page, '/evaluation');
    await Promise.all([page.waitForURL((u) => u.pathname === '/evaluation/setup'), page.click('a[href="/evaluation/setup"]')]);
    await page.fill('#file-form input[name=site_serial]', '000777');
    await page.fill('#file-form input[name=name]', '天津市浏览器测试评价中心');
    await Promise.all([page.waitForLoadState('networkidle'), page.click('#file-form button[type=submit]')]);
    assert.match(await page.textContent('[role=status]'), /已备案评价机构/);
    const inst = page.locator('[data-institution="S000012000777"]');
    await inst.locator('summary').click();
    await inst.locator('input[name=occupation]').fill('6-18-01-01');
    await inst.locator('input[name=levels]').fill('高级工');
    await Promise.all([page.waitForLoadState('networkidle'), inst.locator('button[type=submit]').click()]);
    assert.match(await page.locator('[data-institution="S000012000777"]').textContent(), /6-18-01-01/);

    const inDays = (d) => new Date(Date.now() + d * 86400000).toISOString().slice(0, 10);
    await page.selectOption('#plan-form select[name=institution]', { label: '天津市浏览器测试评价中心' });
    await page.fill('#plan-form input[name=occupation]', '6-18-01-01');
    await page.selectOption('#plan-form select[name=level]', '4');
    await page.fill('#plan-form input[name=standard]', '2018');
    await page.fill('#plan-form input[name=theory_on]', inDays(30));
    await page.fill('#plan-form input[name=practical_on]', inDays(31));
    await page.fill('#plan-form input[name=site]', '河西区实训基地');
    await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/evaluation/sessions/')), page.click('#plan-form button[type=submit]')]);
    await page.waitForSelector('#staffing');
    await page.selectOption('#examiners-form select[name=role]', 'examiner');
    await page.fill('#examiners-form input[name=names]', '张考评、李考评、王考评');
    await page.click('#examiners-form button[type=submit]');
    await page.waitForFunction(() => document.querySelector('#staffing td[data-label="已安排"]') && [...document.querySelectorAll('#staffing tbody tr')][1].textContent.includes('3'));
    await shoot(page, 'evaluation-session-staffing-1280-zh');
    await Promise.all([page.waitForLoadState('networkidle'), page.click('#open-form button')]);
    assert.match(await page.textContent('h1'), /报名/);
  });
});
