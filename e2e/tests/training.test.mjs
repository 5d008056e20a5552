// Training in the browser, against the real binary with a small demo city: a training provider on
// a phone creates a programme for the next level of a worker's occupation and enrols the worker;
// the worker opens their page and finds the programme among those towards their next level; the
// public finds it on /programmes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, work, PASSWORD } from '../lib/server.mjs';
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

const LADDER = ['学徒工', '初级工', '中级工', '高级工', '技师', '高级技师', '特级技师', '首席技师'];

/** `YYYY-MM-DD`, `days` from today. */
function inDays(days) {
  return new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
}

test('a provider creates a programme and enrols a learner, who finds it on their pathway', async () => {
  const { holder } = server;
  // The worker's highest level in each occupation, from the levels export; the programme trains
  // for the level above it in the first occupation where that is one a programme can lead to.
  const path = join(work, 'training-levels.csv');
  server.run(['export', 'levels', path, '--headers', 'en']);
  const lines = readFileSync(path, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter(Boolean);
  const head = lines.shift().split(',');
  const mine = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [head[i], v])))
    .filter((r) => r.id_number === holder.id_number && !r.revoked_on);
  const highest = new Map();
  for (const r of mine) highest.set(r.occupation, Math.max(highest.get(r.occupation) ?? 0, LADDER.indexOf(r.level) + 1));
  const [occupation, held] = [...highest].find(([, rank]) => rank < 6);
  const target = held + 1;

  const provider = '52120113MJ009NBQ4F'; // 天津市北辰区耀科职业培训学校 in the demo city
  server.run(['user', 'add', 'provider', '--display-name', '培训学校', '--role', `training-provider:${provider}`,
    '--by', 'admin', '--password-stdin'], `${PASSWORD}\n`);

  const ctx = await context(browser, server.base, { width: 390 });
  const page = await signIn(ctx, 'provider');
  await visit(page, '/programmes');
  await Promise.all([page.waitForURL((u) => u.pathname === '/programmes/new'), page.click('a[href="/programmes/new"]')]);
  await page.fill('input[name=code]', 'E2E-PX-01');
  await page.fill('input[name=name]', `${LADDER[target - 1]}提升培训班`);
  await page.fill('input[name=occupation]', occupation);
  await page.selectOption('select[name=level]', String(target));
  await page.selectOption('select[name=mode]', 'blended');
  await page.fill('input[name=hours]', '96');
  await page.fill('input[name=starts_on]', inDays(7));
  await page.fill('input[name=ends_on]', inDays(97));
  await page.fill('input[name=capacity]', '40');
  await Promise.all([page.waitForURL((u) => u.pathname === '/programmes/E2E-PX-01'), page.click('#programme-form button[type=submit]')]);
  await page.fill('#enrol-form input[name=id_number]', holder.id_number);
  await page.fill('#enrol-form input[name=learner_id]', 'e2e-learner');
  await Promise.all([page.waitForLoadState('networkidle'), page.click('#enrol-form button[type=submit]')]);
  assert.match(await page.textContent('[role=status]'), /已报名/);
  assert.match(await page.textContent('table[data-table=enrolments]'), new RegExp(holder.name));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the programme page fits a phone (overflow ${overflow})`);
  await shoot(page, 'programme-390-zh');
  assert.deepEqual(ctx.errors, [], 'no console errors or exceptions');
  await ctx.close();

  const w = await context(browser, server.base, { width: 390 });
  const me = await signIn(w, 'worker');
  await visit(me, '/me');
  await me.waitForSelector('#programmes-for-me');
  assert.ok(await me.$('#programmes-for-me [data-programme="E2E-PX-01"]'), 'the programme is on the worker\'s pathway');
  await shoot(me, 'me-programmes-390-zh');
  assert.deepEqual(w.errors, [], 'no console errors or exceptions');
  await w.close();

  const pub = await context(browser, server.base, { width: 390 });
  const p = await pub.newPage();
  await visit(p, `/programmes?occupation=${occupation}&level=${target}`);
  assert.ok(await p.$('[data-list=programmes] [data-programme="E2E-PX-01"]'), 'the public finds it');
  await shoot(p, 'programmes-390-zh');
  await pub.close();
});
