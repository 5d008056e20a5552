// Development aid: screenshots of a running server's pages, one viewport at a time, to look at.
//   node lib/inspect.mjs BASE OUTDIR USER|- PASSWORD WIDTH SCREENS LANG path…
import { chromium } from 'playwright-core';
const [base, out, user, pass, width, screens, lang, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const ctx = await browser.newContext({ viewport: { width: Number(width), height: 900 } });
await ctx.addCookies([{ name: 'gj_lang', value: lang, url: base }]);
const page = await ctx.newPage();
page.on('console', (m) => { if (m.type() === 'error') console.log('CONSOLE', m.text()); });
page.on('pageerror', (e) => console.log('PAGEERROR', e.message));
if (user !== '-') {
  await page.goto(base + '/login');
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', pass);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('#login-form button')]);
}
for (const p of paths) {
  await page.goto(base + p);
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300);
  const name = p.replace(/[^a-z0-9]+/gi, '_');
  const h = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let i = 0, y = 0; y < h && i < Number(screens); i++, y += 900) {
    await page.evaluate((y) => window.scrollTo(0, y), y);
    await page.waitForTimeout(100);
    await page.screenshot({ path: `${out}/${name}-${width}-${lang}-${i}.png` });
  }
}
await browser.close();
