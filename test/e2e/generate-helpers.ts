/**
 * What the generated-tests browser tests share (test/e2e/generate.e2e.ts, generate-review.e2e.ts):
 * scripting SQAI's answer, asking for tests from the panel, and driving Atlaskit's selects and checkboxes.
 */
import type { FrameLocator, Locator } from 'playwright-core';
import type { World } from '../harness/world';

type SqaiGenerations = World['sqai']['generations'];
type SqaiTest = NonNullable<Parameters<SqaiGenerations['set']>[1]['tests']>[number];

/** SQAI answers every generation with `test` first, then its usual tests, until the returned undo is called. */
export function answerWithTestFirst(world: World, test: SqaiTest): () => void {
  const generations = world.sqai.generations;
  const originalSet = generations.set.bind(generations);
  generations.set = (id, generation) =>
    originalSet(id, { ...generation, tests: [test, ...(generation.tests ?? [])] });
  return () => {
    generations.set = originalSet;
  };
}

/** Asks SQAI for (at most `maxTests`) tests from the panel and waits for the proposals. */
export async function proposeTests(app: FrameLocator, maxTests?: number): Promise<Locator> {
  const section = app.getByTestId('generate-section');
  await section.getByRole('button', { name: 'Generate tests', exact: true }).waitFor();
  if (maxTests !== undefined) await section.getByLabel('Maximum tests').fill(String(maxTests));
  await section.getByRole('button', { name: 'Generate tests', exact: true }).click();
  const proposals = app.getByTestId('proposals');
  await proposals.waitFor({ timeout: 20_000 });
  return proposals;
}

/** Picks `option` in the Atlaskit select labelled `label` (types to filter, Enter picks). */
export async function pick(scope: Locator, label: string, option: string): Promise<void> {
  const input = scope.getByLabel(label, { exact: true });
  await input.focus();
  await input.fill(option);
  await input.press('Enter');
}

/** Ticks or unticks an Atlaskit checkbox as a keyboard user does (its input is visually hidden). */
export async function toggle(box: Locator): Promise<void> {
  await box.focus();
  await box.press('Space');
}

/** Ticks or unticks every "Select …" checkbox so that only those `keep` says are selected. */
export async function selectOnly(proposals: Locator, keep: (name: string) => boolean): Promise<number> {
  const boxes = proposals.getByRole('checkbox', { name: /^Select / });
  let selected = 0;
  for (let index = 0; index < (await boxes.count()); index += 1) {
    const box = boxes.nth(index);
    if (await box.isDisabled()) continue;
    const wanted = keep((await box.getAttribute('aria-label')) ?? '');
    if (wanted !== (await box.isChecked())) await toggle(box);
    if (wanted) selected += 1;
  }
  return selected;
}

export const activeText = (app: FrameLocator) =>
  app.locator(':root').evaluate(() => document.activeElement?.textContent ?? '');
