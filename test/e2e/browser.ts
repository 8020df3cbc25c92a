/**
 * Debian's chromium via playwright-core (never a downloaded browser). Where /usr/bin/chromium is
 * missing: under CI=true that is a failure; elsewhere the browser tests say so loudly and skip.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function browserMissingReason(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  const reason = `${CHROMIUM_PATH} not found (install Debian's chromium: apt-get install chromium)`;
  if (process.env.CI === 'true')
    throw new Error(`CI=true and ${reason}: browser tests cannot be skipped in CI`);
  return reason;
}

export function describeWithBrowser(name: string, body: () => void): void {
  const reason = browserMissingReason();
  if (reason) {
    const banner = '!'.repeat(78);
    console.warn(`\n${banner}\n!! BROWSER TESTS SKIPPED: ${reason}\n${banner}\n`);
    describe.skip(`${name} (skipped: ${reason})`, body);
  } else {
    describe(name, body);
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
