/**
 * Debian's Chromium for the browser tests (playwright-core drives it; no browser download). One place for its path,
 * for whether a test may run without it, and for the flags every test launches it with.
 *
 * Without /usr/bin/chromium a browser test is skipped on a developer's machine, with a warning; under CI
 * (`TIERGATE_REQUIRE_CHROMIUM=1`, set by .ci/run after it installed Chromium) a missing browser fails the file
 * instead, so a green run always includes the browser tests.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

if (!hasChromium) {
  if (process.env.TIERGATE_REQUIRE_CHROMIUM === '1') throw new Error(`${CHROMIUM} is missing and TIERGATE_REQUIRE_CHROMIUM=1: apt-get install -y chromium`);
  // eslint-disable-next-line no-console
  console.warn(`browser tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);
}

/** `it` when Chromium is there, else `it.skip`. */
export const itWithChromium: jest.It = hasChromium ? it : it.skip;

/** Headless, no GPU, no network of its own (no QUIC, updates, sync); `autoplay` lets video play without a click. */
export function launchChromium(options: { autoplay?: boolean } = {}): Promise<Browser> {
  const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
  if (options.autoplay) args.push('--autoplay-policy=no-user-gesture-required');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args });
}
