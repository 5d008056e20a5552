// Headless Debian chromium through playwright-core; every page's console errors and uncaught
// exceptions are collected so a test can insist there are none.
import { chromium } from 'playwright-core';
import { join } from 'node:path';
import { screenshots, PASSWORD } from './server.mjs';

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

/** A fresh browser context (no cookies) with an error log. */
export async function context(browser, base, { width = 1280, lang } = {}) {
  const ctx = await browser.newContext({
    viewport: { width, height: 900 },
    acceptDownloads: true,
    locale: 'zh-CN',
    baseURL: base,
  });
  ctx.errors = [];
  ctx.on('page', (page) => watch(ctx, page));
  if (lang) await ctx.addCookies([{ name: 'gj_lang', value: lang, url: base }]);
  return ctx;
}

function watch(ctx, page) {
  page.on('console', (m) => {
    if (m.type() === 'error') ctx.errors.push(`${page.url()}: console: ${m.text()}`);
  });
  page.on('pageerror', (e) => ctx.errors.push(`${page.url()}: exception: ${e.message}`));
}

/** Opens `path` and waits for the page to settle (htmx fragments and charts included). */
export async function visit(page, path) {
  const r = await page.goto(path);
  await page.waitForLoadState('networkidle');
  return r;
}

/** Signs in through the sign-in page as `user`; lands on the home page. */
export async function signIn(ctx, user) {
  const page = await ctx.newPage();
  await visit(page, '/login');
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.click('#login-form button[type=submit]')]);
  await page.waitForLoadState('networkidle');
  return page;
}

/** The navigation's entries, as link targets. */
export async function nav(page) {
  return page.$$eval('nav.nav a', (as) => as.map((a) => a.getAttribute('href')));
}

/** Status of a GET without following redirects (no console noise from error pages). */
export async function status(ctx, path) {
  const r = await ctx.request.get(path, { maxRedirects: 0 });
  return r.status();
}

export async function shoot(page, name) {
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}
