/**
 * The report as PDF: the same HTML printed by the computer's own Chromium
 * through playwright-core (no browser download): JWB_CHROMIUM, then the usual
 * install paths (the e2e suite finds its browser with this too). The
 * page is offline: JavaScript off and every request refused.
 */
import { existsSync } from 'node:fs';
import { WorkbenchFailure } from '../../shared/errors.ts';

/** Where Chromium or Chrome usually is, per platform (JWB_CHROMIUM names another). */
export const chromiumCandidates = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
];

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.JWB_CHROMIUM) return existsSync(env.JWB_CHROMIUM) ? env.JWB_CHROMIUM : null;
  return chromiumCandidates.find((path) => existsSync(path)) ?? null;
}

export async function htmlToPdf(html: string, pdfPath: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const executablePath = findChromium(env);
  if (executablePath === null) {
    throw new WorkbenchFailure(
      'unavailable',
      'No Chromium or Chrome was found to print the PDF: install chromium or set JWB_CHROMIUM; the HTML report is written anyway.',
    );
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    await page.pdf({
      path: pdfPath,
      format: 'A4',
      printBackground: true,
      margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' },
    });
  } finally {
    await browser.close();
  }
}
