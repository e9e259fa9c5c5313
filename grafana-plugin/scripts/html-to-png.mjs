// Renders a page the jest screenshot test captured (HTML with its inline styles) to a PNG in headless
// Chromium: node scripts/html-to-png.mjs <in.html> <out.png> <width>. No network, no scripts.
import fs from 'node:fs';
import { chromium } from 'playwright-core';

const [input, output, width = '1280'] = process.argv.slice(2);
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ARGS });
try {
  const context = await browser.newContext({
    javaScriptEnabled: false,
    viewport: { width: Number(width), height: 800 },
  });
  const page = await context.newPage();
  await page.route('**/*', (route) => route.abort());
  await page.setContent(fs.readFileSync(input, 'utf8'), { waitUntil: 'load' });
  await page.screenshot({ path: output, fullPage: true });
} finally {
  await browser.close();
}
