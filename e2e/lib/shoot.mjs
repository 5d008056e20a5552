// Ad-hoc: node lib/shoot.mjs BASE OUTDIR user pass path1 path2 … — screenshots at 1280 and 360 px.
import { chromium } from 'playwright-core';
const [base, out, user, pass, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
for (const width of (process.env.WIDTHS || '1280,360').split(',').map(Number)) {
  const ctx = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await ctx.newPage();
  page.on('console', m => { if (m.type() === 'error') console.log('CONSOLE', m.text()); });
  page.on('pageerror', e => console.log('PAGEERROR', e.message));
  if (user !== '-') {
    await page.goto(base + '/login');
    await page.fill('input[name=username]', user);
    await page.fill('input[name=password]', pass);
    await page.click('button[type=submit]');
    await page.waitForLoadState('networkidle');
  }
  for (const p of paths) {
    await page.goto(base + p);
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(300);
    const name = p.replace(/[^a-z0-9]+/gi, '_') || 'root';
    if (process.env.SCREENS) {
      const h = await page.evaluate(() => document.documentElement.scrollHeight);
      for (let i = 0, y = 0; y < h && i < Number(process.env.SCREENS); i++, y += 900) {
        await page.evaluate(y => window.scrollTo(0, y), y);
        await page.waitForTimeout(100);
        await page.screenshot({ path: `${out}/${name}-${width}-s${i}.png` });
      }
    } else {
      await page.screenshot({ path: `${out}/${name}-${width}.png`, fullPage: true });
    }
  }
  await ctx.close();
}
await browser.close();
