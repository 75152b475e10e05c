import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/**
 * The system's Chromium (Debian's `chromium` package; `.ci/run` installs it), or `DISTILL_INTEL_CHROMIUM`. Browser tests
 * skip with a message naming what to install when none is there; they never download a browser of their own.
 */
export function chromiumPath(): string | undefined {
  const candidates = [process.env['DISTILL_INTEL_CHROMIUM'], '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p): p is string => p !== undefined && p !== '' && existsSync(p));
}

/** Flags for a headless run on a closed network as root: no sandbox, no GPU, no background connections. */
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export async function launchChromium(executablePath: string): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, args: FLAGS, headless: true });
}
