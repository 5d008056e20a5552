// Benefits in the browser, against the real binary with a small demo city (whose workers pay
// insurance through their employment): the worker opens "my benefits" and reads every scheme with
// its reasons; 免申即享 makes the claims (CLI); the district officer of the worker's district passes
// one through review on the queue page, approves one whose public notice is over and records its
// payment; the claim is paid in the ledger.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start } from '../lib/server.mjs';
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

/** `YYYY-MM-DD` of the day `days` before today (Beijing time is close enough here). */
function daysAgo(days) {
  return new Date(Date.now() - days * 86400000).toISOString().slice(0, 10);
}

test('a worker sees every benefit scheme with its reasons, phone-first', async () => {
  await withContext({ width: 360 }, async (ctx) => {
    const page = await signIn(ctx, 'worker');
    assert.ok((await nav(page)).includes('/me/benefits'), 'the worker navigation offers my benefits');
    await visit(page, '/me/benefits');
    const schemes = await page.$$eval('section[data-scheme]', (ss) => ss.map((s) => s.dataset.scheme));
    assert.deepEqual(schemes, ['skill-upgrade', 'haihe-talent', 'skill-allowance']);
    for (const id of schemes) {
      const first = (await page.textContent(`section[data-scheme="${id}"] .result strong`)).trim();
      assert.ok(first.length > 4, `${id} says why: ${first}`);
    }
    assert.match(await page.textContent('section[data-scheme="skill-upgrade"]'), /失业保险/);
    await shoot(page, 'my-benefits-360-zh');
  });
});

test('a district officer reviews, approves and pays a claim made without an application', async () => {
  const made = JSON.parse(server.run(['subsidy', 'claim', '--scheme', 'skill-upgrade', '--format', 'json']));
  assert.ok(made.claims_created > 0, `the demo city has people entitled: ${JSON.stringify(made)}`);
  const claims = server.run(['subsidy', 'claims', '--status', 'in_review', '--limit', '100000'])
    .split('\n').filter(Boolean).map((l) => JSON.parse(l))
    .filter((c) => c.district_code === server.holder.district);
  assert.ok(claims.length >= 2, `claims in the officer's district: ${claims.length}`);
  const [early, fresh] = claims;
  // One claim reviewed three weeks ago: its five-working-day notice is over.
  server.run(['subsidy', 'review', String(early.claim), '--approve', '--on', daysAgo(21)]);

  await withContext({}, async (ctx) => {
    const page = await signIn(ctx, 'district');
    assert.ok((await nav(page)).includes('/benefits/claims'));
    await visit(page, '/benefits/claims');
    const card = (c) => page.locator(`section[data-claim="${c.claim}"]`);
    assert.equal(await card(fresh).getAttribute('data-stage'), 'review');
    assert.equal(await card(early).getAttribute('data-stage'), 'notice');
    await shoot(page, 'claims-queue-1280-zh');

    // Review passed: its public notice starts.
    await card(fresh).locator('input[name=note]').fill('材料齐全');
    await Promise.all([page.waitForURL(/\/benefits\/claims$/), card(fresh).locator('button[value=review-approve]').click()]);
    await page.waitForLoadState('networkidle');
    assert.equal(await card(fresh).getAttribute('data-stage'), 'notice');
    assert.match(await card(fresh).textContent(), /公示期内/);

    // The other one: approved, then paid with the payer's reference.
    await Promise.all([page.waitForURL(/\/benefits\/claims$/), card(early).locator('button[value=approve]').click()]);
    await page.waitForLoadState('networkidle');
    assert.equal(await card(early).getAttribute('data-stage'), 'approved');
    await card(early).locator('input[name=reference]').fill('TJ-E2E-0001');
    await Promise.all([page.waitForURL(/\/benefits\/claims$/), card(early).locator('button[value=pay]').click()]);
    await page.waitForLoadState('networkidle');
    assert.equal(await card(early).count(), 0, 'paid: off the queue');
  });
  const paid = server.run(['subsidy', 'claims', '--status', 'paid']).split('\n').filter(Boolean).map((l) => JSON.parse(l));
  assert.deepEqual(paid.map((c) => c.claim), [early.claim]);
});

test('the district officer reads the spend report on a phone: the payment, what is owed, no budget set', async () => {
  for (const width of [390, 1280]) {
    await withContext({ width }, async (ctx) => {
      const page = await signIn(ctx, 'district');
      await visit(page, '/benefits/claims');
      await Promise.all([page.waitForURL(/\/benefits\/spend/), page.click('a[href="/benefits/spend"]')]);
      const year = new Date().getUTCFullYear();
      assert.match(await page.textContent('h1'), new RegExp(String(year)));
      const total = await page.locator('tfoot tr[data-total] td').allTextContents();
      assert.equal(total[0], '1', `one claim paid this year in the officer's districts: ${total}`);
      assert.ok(Number(total[4].replace(/,/g, '')) >= 1, `claims still owed: ${total}`);
      assert.equal(await page.locator('[data-no-budget]').count(), 1, 'Tianjin sets no budget: said so');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `the report fits ${width}px (overflow ${overflow})`);
      await shoot(page, `spend-${width}-zh`);
    });
  }
});
