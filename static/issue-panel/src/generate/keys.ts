/**
 * The query keys of "Generate tests": the generation panel and the generation (with its creation or
 * update proposals) as one cached value. Apart from useGeneration so that living tests
 * (../living/useTestUpdates.ts) write into the same cache — a proposal of updates is a generation.
 */
export const generationPanelKey = (issueKey: string) => ['generationPanel', issueKey] as const;
export const generationKey = (issueKey: string) => ['generation', issueKey] as const;
