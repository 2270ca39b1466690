/**
 * Chromium for the HTML report tests: playwright-core driving Debian's /usr/bin/chromium with a
 * fresh profile, every request routed and refused (the page must need none), console errors,
 * page errors and dialogs recorded. Without chromium the tests skip with one printed line, and
 * fail when CI is set.
 */
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { makeTempDir } from '../../temp-dir.js';
import { externalProgram } from '../../support/external.js';

const chromiumProgram = externalProgram('chromium', 'the HTML report browser tests (test/report/html)');
export const CHROMIUM = chromiumProgram.path;

/** Whether the tests can run: test/support/external.ts prints the one skip line, or fails under CI. */
export function chromiumAvailable(): boolean {
  return !chromiumProgram.missing;
}

export interface Session {
  readonly page: Page;
  /** Requests the page tried to make (all refused). */
  readonly requests: string[];
  readonly consoleErrors: string[];
  readonly dialogs: string[];
  /** The report URLs opened: the only requests allowed. */
  readonly opened: Set<string>;
  close(): Promise<void>;
}

export async function openSession(options: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } } = {}): Promise<Session> {
  const context: BrowserContext = await chromium.launchPersistentContext(makeTempDir('chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: options.viewport ?? { width: 1280, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
    offline: true,
  });
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  const dialogs: string[] = [];
  // Every network request is refused; the page-level listener below records them all, local files included.
  await context.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
  const page = context.pages()[0] ?? await context.newPage();
  const opened = new Set<string>();
  page.on('request', (request) => {
    if (!opened.has(request.url())) requests.push(request.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return { page, requests, consoleErrors, dialogs, opened, close: () => context.close() };
}

/** Opens a report file as a user would (file://) and waits until its script has built the table. */
export async function openReport(session: Session, file: string): Promise<number> {
  const started = performance.now();
  const url = pathToFileURL(file).href;
  session.opened.add(url);
  await session.page.goto(url);
  await session.page.waitForSelector('html[data-ready=true]');
  return performance.now() - started;
}
