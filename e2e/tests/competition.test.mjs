// A competition end to end (issue 15), in headless chromium against the real binary: an
// organiser sets up a competition and an event (scheme, two judges, two entrants) in the
// browser; two judges mark it on a phone-size viewport; the organiser signs the marks off and
// publishes the results; the public results page ranks the winner first, and the winner's own
// record shows the promotion (技师, 竞赛晋升) in the level history and the entry with its place.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, PASSWORD } from '../lib/server.mjs';
import { launch, context, visit, signIn, shoot } from '../lib/browser.mjs';

let server;
let browser;

before(async () => {
  server = await start({ persons: 600 });
  browser = await launch();
  server.run(['user', 'add', 'organiser', '--display-name', '竞赛组织方', '--role',
    `competition-organiser:${server.holder.employer_uscc}`, '--by', 'admin', '--password-stdin'], `${PASSWORD}\n`);
  for (const j of ['judge1', 'judge2']) {
    server.run(['user', 'add', j, '--display-name', j, '--role', 'public', '--by', 'admin', '--password-stdin'], `${PASSWORD}\n`);
  }
  // The institution filed to certify 焊工: it issues the promotion's certificate.
  const filed = JSON.parse(server.run(['evaluation', 'institution-file', '--category', 'S', '--body-code', '0000',
    '--province', '12', '--site-serial', '000915', '--name', '天津市焊工技能认定中心', '--format', 'json']));
  server.run(['evaluation', 'institution-scope', '--institution', String(filed.institution_id),
    '--occupation', '6-18-02-04', '--levels', '中级工,高级工,技师,高级技师', '--from', '2020-01-01']);
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

const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const EVENT = '/competitions/E2E2026/W1';

async function submit(page, form) {
  await Promise.all([page.waitForLoadState('networkidle'), page.click(`${form} button[type=submit]`)]);
  await page.waitForLoadState('networkidle');
  const bad = await page.$('.notice.bad');
  assert.equal(bad ? await bad.textContent() : null, null, `no refusal after ${form}`);
}

test('an organiser sets up an event, two judges mark it on a phone, the winner is promoted', async () => {
  const { holder, stranger } = server;
  await withContext({}, async (ctx) => {
    const page = await signIn(ctx, 'organiser');
    await visit(page, '/competitions/setup');
    await page.fill('#competition-form input[name=code]', 'E2E2026');
    await page.fill('#competition-form input[name=name]', '2026年海河工匠杯焊工竞赛');
    await page.selectOption('#competition-form select[name=tier]', 'city_1');
    await page.fill('#competition-form input[name=organiser]', '天津市人社局');
    await page.fill('#competition-form input[name=starts_on]', today);
    await submit(page, '#competition-form');
    const card = page.locator('[data-competition="E2E2026"]');
    await card.locator('input[name=code]').fill('W1');
    await card.locator('input[name=name]').fill('焊工');
    await card.locator('input[name=occupation]').fill('6-18-02-04');
    await Promise.all([page.waitForURL((u) => u.pathname === `${EVENT}/manage`), card.locator('button[type=submit]').click()]);
    await page.fill('#scheme-form textarea[name=text]',
      'code,kind,description,max_mark\nM1,measurement,焊缝尺寸,50\nM2,measurement,焊缝外观,50\n');
    await submit(page, '#scheme-form');
    assert.equal(await page.locator('#aspects tbody tr').count(), 2);
    for (const [code, user] of [['J1', 'judge1'], ['J2', 'judge2']]) {
      await page.fill('#judge-form input[name=code]', code);
      await page.fill('#judge-form input[name=name]', `裁判${code}`);
      await page.fill('#judge-form input[name=username]', user);
      await submit(page, '#judge-form');
    }
    await page.fill('#entries-form textarea[name=text]', `${holder.id_number},职工,001\n${stranger.id_number},职工,002`);
    await submit(page, '#entries-form');
    assert.equal(await page.locator('#entries tbody tr').count(), 2);
    await shoot(page, 'competition-event-zh-1280');
  });

  // Each judge marks both competitors at the bench: 001 gets both aspects, 002 one.
  for (const judge of ['judge1', 'judge2']) {
    await withContext({ width: 390 }, async (ctx) => {
      const page = await signIn(ctx, judge);
      for (const [bib, scores] of [['001', { M1: '1', M2: '1' }], ['002', { M1: '1', M2: '0' }]]) {
        await visit(page, `${EVENT}/mark?bib=${bib}`);
        for (const [aspect, v] of Object.entries(scores)) {
          await page.locator(`fieldset[data-aspect="${aspect}"] label.score`, { hasText: v }).click();
        }
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width > 390) {
          const wide = await page.evaluate(() => [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > 392).slice(0, 8)
            .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`));
          console.log('WIDE', wide);
        }
        assert.ok(width <= 390, `the marking sheet fits a phone (${width}px)`);
        await Promise.all([page.waitForURL((u) => u.searchParams.get('done') === '1'), page.click('#mark-form button[type=submit]')]);
        assert.match(await page.textContent('.notice.ok'), /评分已保存/);
        assert.match(await page.textContent(`a.bib[data-bib="${bib}"]`), /2\/2/);
      }
      if (judge === 'judge2') await shoot(page, 'competition-mark-zh-390');
    });
  }

  await withContext({}, async (ctx) => {
    const page = await signIn(ctx, 'organiser');
    await visit(page, `${EVENT}/manage`);
    await submit(page, '#sign-off-form');
    assert.match(await page.textContent('#entries tr[data-bib="001"]'), /100\.00/);
    await page.fill('#publish-form input[name=on]', today);
    await submit(page, '#publish-form');
    assert.match(await page.textContent('.notice.ok'), /成绩已公布/);
  });

  await withContext({}, async (ctx) => {
    const page = await ctx.newPage();
    await visit(page, EVENT);
    const first = page.locator('#results-1 tbody tr').first();
    assert.equal(await first.getAttribute('data-bib'), '001');
    assert.match(await first.textContent(), /100\.00/);
  });

  // The city's officers see promotions through competitions by year and tier.
  await withContext({}, async (ctx) => {
    const page = await signIn(ctx, 'admin');
    await visit(page, '/competitions');
    const row = page.locator('#promotions-by-tier tbody tr', { hasText: today.slice(0, 4) });
    const cells = await row.locator('td').allTextContents();
    const tiers = await page.locator('#promotions-by-tier thead th').allTextContents();
    const city1 = tiers.indexOf('市级一类');
    assert.ok(Number(cells[city1]) >= 1, `the winner counted this year at 市级一类: ${cells}`);
    // The dashboard shows the same table.
    await visit(page, '/dashboard');
    const onDashboard = page.locator('#promotions-by-tier tbody tr', { hasText: today.slice(0, 4) });
    assert.deepEqual(await onDashboard.locator('td').allTextContents(), cells, 'the dashboard agrees');
  });

  await withContext({}, async (ctx) => {
    const page = await signIn(ctx, 'worker');
    await visit(page, '/me');
    const history = await page.textContent('#history-h + ol, section[aria-labelledby=history-h]');
    assert.match(history, new RegExp(`${today}[\\s\\S]*技师[\\s\\S]*6-18-02-04[\\s\\S]*竞赛晋升`));
    assert.match(await page.textContent('#competitions'), /2026年海河工匠杯焊工竞赛[\s\S]*001[\s\S]*第 1/);
    // The promotion came with its certificate, numbered in the institution's series.
    const cert = page.locator('#certificates [data-certificate^="S000012000915"]');
    assert.equal(await cert.count(), 1, 'one certificate for the promotion');
    assert.match(await cert.textContent(), /技师/);
    await shoot(page, 'competition-winner-record-zh-1280');
  });
});
