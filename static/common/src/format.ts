/** Text helpers both Custom UIs share (kept free of Atlaskit so they are unit-testable in Node). */

/** Lozenge appearances, as strings. */
export type LozengeAppearance = 'default' | 'inprogress' | 'moved' | 'new' | 'removed' | 'success';

/** A status shown as a lozenge. */
export interface StatusBadge {
  text: string;
  appearance: LozengeAppearance;
}

/** "1 test", "3 tests", "1 linked issue", "3 requirements". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
