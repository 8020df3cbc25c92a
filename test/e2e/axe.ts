/**
 * axe-core in the app's iframe: every serious, moderate or critical violation fails the test, named
 * with its rule, its help text and the elements it found (issue 16 item 11). Minor findings are
 * reported in the failure message only when something else failed.
 */
import { readFileSync } from 'node:fs';
import type { Frame, Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const FAILING_IMPACTS = new Set(['critical', 'serious', 'moderate']);

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

export type ColorMode = 'light' | 'dark';

/** The app's iframe (the playground shell hosts one Custom UI at a time). */
export async function appFrame(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('iframe.app');
  const frame = await handle.contentFrame();
  if (!frame) throw new Error('The app iframe has no frame');
  return frame;
}

/** Switches the app's colour mode the way Jira does (a theme message to the iframe) and waits for it. */
export async function setColorMode(page: Page, mode: ColorMode): Promise<void> {
  await page.evaluate((colorMode) => {
    const iframe = document.querySelector<HTMLIFrameElement>('iframe.app');
    iframe?.contentWindow?.postMessage({ type: 'forge-theme', colorMode }, '*');
  }, mode);
  const frame = await appFrame(page);
  await frame.waitForSelector(`html[data-color-mode="${mode}"]`);
  // Atlaskit fields fade their colours: measure the settled page, not a frame of the transition.
  await frame.waitForFunction(() =>
    document.getAnimations().every((animation) => !(animation instanceof CSSTransition)),
  );
}

/** The failing axe violations in the app's iframe, as readable lines ("" when none). */
export async function axeFindings(page: Page): Promise<string> {
  const frame = await appFrame(page);
  const loaded = await frame.evaluate(() => 'axe' in window);
  if (!loaded) await frame.evaluate(AXE_SOURCE);
  const violations = await frame.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (context: Document) => Promise<{ violations: unknown }> } }
    ).axe;
    const result = await axe.run(document);
    return result.violations;
  });
  // Content the HTML parser would never build, which React renders anyway (it warns only in development
  // builds): a block inside a paragraph, an interactive element inside another. Screen readers and
  // copy/paste see a different structure than the page shows.
  const nesting = await frame.evaluate(() => {
    const selectors = [
      ':is(p) :is(div, p, ul, ol, dl, table, section, article, aside, nav, header, footer, form, fieldset, pre, blockquote, figure, hr, h1, h2, h3, h4, h5, h6)',
      ':is(a[href], button) :is(a[href], button, input, select, textarea)',
    ];
    return selectors.flatMap((selector) =>
      [...document.querySelectorAll(selector)].slice(0, 5).map((element) => {
        const outer = element.parentElement?.closest('p, a[href], button');
        const id = (node: Element | null | undefined) =>
          node
            ? `${node.tagName.toLowerCase()}${node.getAttribute('data-testid') ? `[data-testid=${node.getAttribute('data-testid')}]` : ''}`
            : '?';
        return `<${id(element)}> inside <${id(outer)}>`;
      }),
    );
  });
  const nestingFindings = nesting.length > 0 ? [`serious html-nesting: ${nesting.join('; ')}`] : [];
  return [
    ...nestingFindings,
    ...(violations as Violation[])
      .filter((violation) => violation.impact !== null && FAILING_IMPACTS.has(violation.impact))
      .map(
        (violation) =>
          `${violation.impact} ${violation.id}: ${violation.help}\n` +
          violation.nodes
            .slice(0, 5)
            .map(
              (node) =>
                `    ${JSON.stringify(node.target)} ${node.failureSummary?.split('\n').join(' ') ?? ''}`,
            )
            .join('\n'),
      ),
  ].join('\n');
}

/** Runs axe in light and then dark mode; the failures of both, each under its state and mode. */
export async function accessibilityFindings(page: Page, state: string): Promise<string[]> {
  const findings: string[] = [];
  for (const mode of ['light', 'dark'] as const) {
    await setColorMode(page, mode);
    const found = await axeFindings(page);
    if (found !== '') findings.push(`${state} (${mode}):\n${found}`);
  }
  await setColorMode(page, 'light');
  return findings;
}
