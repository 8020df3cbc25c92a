/**
 * Pure state and wording for "Generate tests": the generate form, the review (which proposals are
 * selected, edited titles), the destination form, and building the resolver inputs from them.
 * No React, no bridge — unit-tested in node (test/unit/static/generateModel.test.ts).
 */
import type {
  CreateGeneratedTestsInput,
  CreationDto,
  CreationItemDto,
  DestinationChoice,
  DestinationDto,
  GenerationDto,
  GenerationPanelDto,
  ProjectTestTypeDto,
  ProposalDto,
  ReviewEditsDto,
  StartGenerationInput,
} from '../../../../src/api';
import type { LozengeAppearance } from '../../../common/src/format';

export const MAX_TESTS_MIN = 1;
/** SQAI proposes at most 50 tests at once; creations of more than 20 run in the background. */
export const MAX_TESTS_MAX = 50;
export const MAX_TESTS_DEFAULT = 5;
export const INSTRUCTIONS_MAX = 2000;
/** Jira's summary limit (a test's title becomes its summary). */
export const TITLE_MAX = 255;
export const SUMMARY_MAX = 255;
export const FOLDER_MAX = 255;

/** How often the panel asks about a running generation, and about a running creation. */
export const POLL_INTERVAL_MS = 1500;
export const CREATION_POLL_INTERVAL_MS = 1000;

// ---------- generations ----------

export function isGenerationActive(generation: Pick<GenerationDto, 'status'> | null | undefined): boolean {
  return generation?.status === 'pending' || generation?.status === 'running';
}

export function isCreationActive(creation: Pick<CreationDto, 'status'> | null | undefined): boolean {
  return creation?.status === 'running';
}

/** Whole seconds from `fromIso` to `now` (0 for an unreadable or future time). */
export function elapsedSeconds(fromIso: string, now: Date): number {
  const from = new Date(fromIso).getTime();
  if (Number.isNaN(from)) return 0;
  return Math.max(0, Math.floor((now.getTime() - from) / 1000));
}

/** "SQAI is writing tests… (12s)", "(1m 05s)" past a minute. */
export function writingText(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const elapsed = s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `SQAI is writing tests… (${elapsed})`;
}

/** "1 test", "3 tests". */
export function testsText(count: number): string {
  return `${count} ${count === 1 ? 'test' : 'tests'}`;
}

// ---------- the generate form ----------

export interface GenerateFormModel {
  testTypes: string[];
  /** As typed (validated on submit). */
  maxTests: string;
  instructions: string;
}

export type GenerateField = 'testTypes' | 'maxTests' | 'instructions';
export type GenerateErrors = Partial<Record<GenerateField, string>>;

/**
 * The form's starting point: every test type, 5 tests, no instructions — or the previous
 * generation's choices (test types the project no longer has are dropped; none left → all).
 */
export function defaultGenerateForm(
  types: ProjectTestTypeDto[],
  previous?: Pick<GenerationDto, 'testTypes' | 'maxTests' | 'instructions'> | null,
): GenerateFormModel {
  const names = types.map((type) => type.name);
  if (!previous) return { testTypes: names, maxTests: String(MAX_TESTS_DEFAULT), instructions: '' };
  const kept = names.filter((name) => previous.testTypes.includes(name));
  const maxTests =
    Number.isInteger(previous.maxTests) &&
    previous.maxTests >= MAX_TESTS_MIN &&
    previous.maxTests <= MAX_TESTS_MAX
      ? previous.maxTests
      : MAX_TESTS_DEFAULT;
  return {
    testTypes: kept.length > 0 ? kept : names,
    maxTests: String(maxTests),
    instructions: previous.instructions ?? '',
  };
}

/** Checks or unchecks a test type, keeping the project's order. */
export function withTestType(
  model: GenerateFormModel,
  types: ProjectTestTypeDto[],
  name: string,
  checked: boolean,
): GenerateFormModel {
  const chosen = new Set(model.testTypes);
  if (checked) chosen.add(name);
  else chosen.delete(name);
  return { ...model, testTypes: types.map((type) => type.name).filter((type) => chosen.has(type)) };
}

export function validateGenerateForm(model: GenerateFormModel, types: ProjectTestTypeDto[]): GenerateErrors {
  const errors: GenerateErrors = {};
  const known = new Set(types.map((type) => type.name));
  if (model.testTypes.length === 0) errors.testTypes = 'Pick at least one test type.';
  else {
    const unknown = model.testTypes.filter((name) => !known.has(name));
    if (unknown.length > 0) errors.testTypes = `This project has no test type ${unknown.join(', ')}.`;
  }
  const max = model.maxTests.trim();
  if (!/^\d+$/.test(max) || Number(max) < MAX_TESTS_MIN || Number(max) > MAX_TESTS_MAX) {
    errors.maxTests = `Enter a whole number from ${MAX_TESTS_MIN} to ${MAX_TESTS_MAX}.`;
  }
  const length = model.instructions.trim().length;
  if (length > INSTRUCTIONS_MAX) {
    errors.instructions = `Keep the instructions to ${INSTRUCTIONS_MAX.toLocaleString('en')} characters (now ${length.toLocaleString('en')}).`;
  }
  return errors;
}

export function hasErrors(errors: Record<string, string | undefined>): boolean {
  return Object.values(errors).some((message) => message !== undefined);
}

export function toStartInput(model: GenerateFormModel): StartGenerationInput {
  const instructions = model.instructions.trim();
  return {
    testTypes: [...model.testTypes],
    maxTests: Number(model.maxTests.trim()),
    ...(instructions ? { instructions } : {}),
  };
}

/** The same request again ("Try again" after a failed generation). */
export function startInputOf(
  generation: Pick<GenerationDto, 'testTypes' | 'maxTests' | 'instructions'>,
): StartGenerationInput {
  return {
    testTypes: [...generation.testTypes],
    maxTests: generation.maxTests,
    ...(generation.instructions ? { instructions: generation.instructions } : {}),
  };
}

const GENERATE_FIELDS: readonly GenerateField[] = ['testTypes', 'maxTests', 'instructions'];

/** The server's VALIDATION fieldErrors: the form's fields, and messages for anything else. */
export function mapGenerateFieldErrors(fieldErrors: Record<string, string> | undefined): {
  fields: GenerateErrors;
  other: string[];
  confirmReplace?: string;
} {
  const fields: GenerateErrors = {};
  const other: string[] = [];
  let confirmReplace: string | undefined;
  for (const [path, message] of Object.entries(fieldErrors ?? {})) {
    const field = GENERATE_FIELDS.find((name) => path === name || path.startsWith(`${name}.`));
    if (field) fields[field] ??= message;
    else if (path === 'replace') confirmReplace = message;
    else other.push(message);
  }
  return { fields, other, ...(confirmReplace ? { confirmReplace } : {}) };
}

// ---------- review ----------

export interface ReviewState {
  /** The generation this review belongs to (a new generation starts a new review). */
  generationId: string;
  selected: Record<string, boolean>;
  /** Titles as edited (absent = SQAI's title). */
  titles: Record<string, string>;
}

/** Proposal id → key of the Xray test created from it (stored on the proposal, or by the creation). */
export function createdKeys(
  generation: Pick<GenerationDto, 'proposals'>,
  creation: Pick<CreationDto, 'items'> | null | undefined,
): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const proposal of generation.proposals) {
    if (proposal.created) keys[proposal.id] = proposal.created.key;
  }
  for (const item of creation?.items ?? []) {
    if (item.status === 'created' && item.key) keys[item.proposalId] = item.key;
  }
  return keys;
}

/** Valid and not created yet. */
export function isSelectable(proposal: ProposalDto, created: Record<string, string>): boolean {
  return proposal.problems.length === 0 && !proposal.created && created[proposal.id] === undefined;
}

/**
 * Valid proposals that are not likely duplicates start selected (as the backend says) — or as the
 * reviewer left them (`saved`: their stored edits of this generation; edits of proposals that are
 * gone, or created since, are dropped).
 */
export function initialReview(
  generation: Pick<GenerationDto, 'id' | 'proposals' | 'creation'>,
  saved?: Pick<ReviewEditsDto, 'generationId' | 'selected' | 'titles'> | null,
): ReviewState {
  const created = createdKeys(generation, generation.creation);
  const edits = saved?.generationId === generation.id ? saved : null;
  const selected: Record<string, boolean> = {};
  const titles: Record<string, string> = {};
  for (const proposal of generation.proposals) {
    const chosen = edits?.selected[proposal.id] ?? proposal.selectedByDefault;
    selected[proposal.id] = chosen && isSelectable(proposal, created);
    const title = edits?.titles[proposal.id];
    if (title !== undefined && title !== proposal.title) titles[proposal.id] = title;
  }
  return { generationId: generation.id, selected, titles };
}

/** The review and destination as stored for the reviewer (only what differs from the proposals). */
export function reviewEditsOf(
  generation: Pick<GenerationDto, 'id' | 'proposals'>,
  review: ReviewState,
  destination: DestinationForm,
): ReviewEditsDto {
  const selected: Record<string, boolean> = {};
  const titles: Record<string, string> = {};
  for (const proposal of generation.proposals) {
    const chosen = review.selected[proposal.id];
    if (chosen !== undefined && chosen !== proposal.selectedByDefault) selected[proposal.id] = chosen;
    const title = review.titles[proposal.id];
    if (title !== undefined && title !== proposal.title) titles[proposal.id] = title.slice(0, TITLE_MAX);
  }
  return {
    generationId: generation.id,
    selected,
    titles,
    destination: {
      ...destination,
      testSet: clipChoice(destination.testSet),
      testExecution: clipChoice(destination.testExecution),
      testPlan: { ...destination.testPlan, key: destination.testPlan.key.slice(0, KEY_MAX) },
      folder: destination.folder.slice(0, FOLDER_MAX),
    },
  };
}

/** Longest issue key kept with a review (longer is no key; it is shown as typed until then). */
const KEY_MAX = 40;

const clipChoice = (choice: DestinationChoiceForm): DestinationChoiceForm => ({
  ...choice,
  key: choice.key.slice(0, KEY_MAX),
  summary: choice.summary.slice(0, SUMMARY_MAX),
});

export function withSelected(review: ReviewState, id: string, selected: boolean): ReviewState {
  return { ...review, selected: { ...review.selected, [id]: selected } };
}

export function withTitle(review: ReviewState, id: string, title: string): ReviewState {
  return { ...review, titles: { ...review.titles, [id]: title } };
}

export function titleOf(review: ReviewState, proposal: Pick<ProposalDto, 'id' | 'title'>): string {
  return review.titles[proposal.id] ?? proposal.title;
}

export function isSelected(
  review: ReviewState,
  proposal: ProposalDto,
  created: Record<string, string>,
): boolean {
  return review.selected[proposal.id] === true && isSelectable(proposal, created);
}

export function selectedProposals(
  generation: Pick<GenerationDto, 'proposals'>,
  review: ReviewState,
  created: Record<string, string>,
): ProposalDto[] {
  return generation.proposals.filter((proposal) => isSelected(review, proposal, created));
}

/** "3 selected of 5". */
export function selectionSummary(
  generation: Pick<GenerationDto, 'proposals'>,
  review: ReviewState,
  created: Record<string, string>,
): string {
  return `${selectedProposals(generation, review, created).length} selected of ${generation.proposals.length}`;
}

export function titleError(title: string): string | undefined {
  const trimmed = title.trim();
  if (trimmed === '') return 'Enter a title.';
  if (trimmed.length > TITLE_MAX) return `Keep the title to ${TITLE_MAX} characters (now ${trimmed.length}).`;
  return undefined;
}

/** Title problems of the selected proposals (id → message). */
export function reviewErrors(
  generation: Pick<GenerationDto, 'proposals'>,
  review: ReviewState,
  created: Record<string, string>,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const proposal of selectedProposals(generation, review, created)) {
    const error = titleError(titleOf(review, proposal));
    if (error) errors[proposal.id] = error;
  }
  return errors;
}

/** "Create 3 tests in Xray". */
export function createButtonText(count: number): string {
  return `Create ${testsText(count)} in Xray`;
}

export type BodyKind = 'steps' | 'gherkin' | 'definition' | 'none';

/** What to show as the test's body: by its kind first, then by what SQAI sent. */
export function bodyKindOf(
  proposal: Pick<ProposalDto, 'kind' | 'steps' | 'gherkin' | 'definition'>,
): BodyKind {
  const kind = proposal.kind.toLowerCase();
  if (kind === 'steps' && proposal.steps && proposal.steps.length > 0) return 'steps';
  if (kind === 'gherkin' && proposal.gherkin) return 'gherkin';
  if (kind === 'unstructured' && proposal.definition) return 'definition';
  if (proposal.steps && proposal.steps.length > 0) return 'steps';
  if (proposal.gherkin) return 'gherkin';
  if (proposal.definition) return 'definition';
  return 'none';
}

/** Lozenge colour of a test type, by its kind (names are per project, kinds are fixed). */
export function testTypeAppearance(kind: string): LozengeAppearance {
  switch (kind.toLowerCase()) {
    case 'steps':
      return 'inprogress';
    case 'gherkin':
      return 'new';
    default:
      return 'default';
  }
}

/** "87% similar" (similarity 0–1; tolerant of a percentage). */
export function similarityText(similarity: number): string {
  const percent = similarity <= 1 ? similarity * 100 : similarity;
  return `${Math.round(Math.max(0, Math.min(100, percent)))}% similar`;
}

// ---------- destination ----------

export type DestinationMode = 'none' | 'existing' | 'new';

/**
 * One "existing or new" choice. `keyTyped`: an existing key typed in (rather than one of the known
 * destinations picked from the list).
 */
export interface DestinationChoiceForm {
  mode: DestinationMode;
  key: string;
  summary: string;
  keyTyped: boolean;
}

export interface DestinationForm {
  testSet: DestinationChoiceForm;
  testExecution: DestinationChoiceForm;
  testPlan: { mode: Exclude<DestinationMode, 'new'>; key: string; keyTyped: boolean };
  folder: string;
}

export type DestinationField = 'testSet' | 'testExecution' | 'testPlan' | 'folder';
export type DestinationErrors = Partial<Record<DestinationField, string>>;

export const DESTINATION_FIELDS: readonly DestinationField[] = [
  'testSet',
  'testExecution',
  'testPlan',
  'folder',
];

export function defaultSummary(issueKey: string): string {
  return `${issueKey} — SQAI generated tests`;
}

export function defaultDestinationForm(issueKey: string): DestinationForm {
  return {
    testSet: { mode: 'none', key: '', summary: defaultSummary(issueKey), keyTyped: false },
    testExecution: { mode: 'none', key: '', summary: defaultSummary(issueKey), keyTyped: false },
    testPlan: { mode: 'none', key: '', keyTyped: false },
    folder: '',
  };
}

/** The picker's `<select>` value: "none", "new", "existing" (type a key), or a known key. */
export function pickerValueOf(choice: { mode: DestinationMode; key: string; keyTyped: boolean }): string {
  if (choice.mode !== 'existing') return choice.mode;
  return choice.keyTyped ? 'existing' : choice.key;
}

/** The choice after picking `value` in the `<select>` (a known key, or one of the modes). */
export function withPickerValue<T extends { mode: DestinationMode; key: string; keyTyped: boolean }>(
  choice: T,
  value: string,
): T {
  if (value === 'none' || value === 'new') return { ...choice, mode: value };
  if (value === 'existing')
    return { ...choice, mode: 'existing', keyTyped: true, key: choice.keyTyped ? choice.key : '' };
  return { ...choice, mode: 'existing', keyTyped: false, key: value };
}

const ISSUE_KEY = /^[A-Z][A-Z0-9_]*-[1-9]\d*$/;

/** " demo-12 " → "DEMO-12". */
export function normaliseKey(key: string): string {
  return key.trim().toUpperCase();
}

export function isIssueKey(key: string): boolean {
  return ISSUE_KEY.test(normaliseKey(key));
}

/** "/Checkout/Generated/" → "/Checkout/Generated" (runs of slashes collapsed; "" stays ""). */
export function normaliseFolder(folder: string): string {
  const trimmed = folder.trim();
  if (trimmed === '') return '';
  const collapsed = trimmed
    .split('/')
    .map((part) => part.trim())
    .filter((part, index) => index === 0 || part !== '')
    .join('/');
  return collapsed === '' ? '/' : collapsed;
}

function keyProblem(key: string, what: string): string | undefined {
  if (key.trim() === '') return `Enter the key of the ${what}, e.g. DEMO-12.`;
  if (!isIssueKey(key)) return `“${key.trim()}” is not an issue key. Use the form DEMO-12.`;
  return undefined;
}

function summaryProblem(summary: string, what: string): string | undefined {
  const trimmed = summary.trim();
  if (trimmed === '') return `Enter a summary for the new ${what}.`;
  if (trimmed.length > SUMMARY_MAX)
    return `Keep the summary to ${SUMMARY_MAX} characters (now ${trimmed.length}).`;
  return undefined;
}

export function validateDestination(form: DestinationForm): DestinationErrors {
  const errors: DestinationErrors = {};
  const choice = (field: 'testSet' | 'testExecution', value: DestinationChoiceForm, what: string): void => {
    const problem =
      value.mode === 'existing'
        ? keyProblem(value.key, what)
        : value.mode === 'new'
          ? summaryProblem(value.summary, what)
          : undefined;
    if (problem) errors[field] = problem;
  };
  choice('testSet', form.testSet, 'test set');
  choice('testExecution', form.testExecution, 'test execution');
  if (form.testPlan.mode === 'existing') {
    const problem = keyProblem(form.testPlan.key, 'test plan');
    if (problem) errors.testPlan = problem;
  }
  const folder = form.folder.trim();
  if (folder !== '') {
    if (!folder.startsWith('/')) errors.folder = 'Start the folder path with “/”, e.g. /Checkout/Generated.';
    else if (normaliseFolder(folder).length > FOLDER_MAX)
      errors.folder = `Keep the folder path to ${FOLDER_MAX} characters.`;
  }
  return errors;
}

function toChoice(value: DestinationChoiceForm): DestinationChoice | undefined {
  if (value.mode === 'existing') return { mode: 'existing', key: normaliseKey(value.key) };
  if (value.mode === 'new') return { mode: 'new', summary: value.summary.trim() };
  return undefined;
}

/** The DestinationDto of a (valid) form; "none" choices are left out. */
export function toDestinationDto(form: DestinationForm): DestinationDto {
  const destination: DestinationDto = {};
  const testSet = toChoice(form.testSet);
  const testExecution = toChoice(form.testExecution);
  if (testSet) destination.testSet = testSet;
  if (testExecution) destination.testExecution = testExecution;
  if (form.testPlan.mode === 'existing') destination.testPlan = { key: normaliseKey(form.testPlan.key) };
  const folder = normaliseFolder(form.folder);
  if (folder !== '') destination.folder = folder;
  return destination;
}

/** A server fieldErrors path (e.g. `destination.testSet.key`) → the destination field it is about. */
export function destinationFieldOf(path: string): DestinationField | undefined {
  const rest = path.startsWith('destination.') ? path.slice('destination.'.length) : path;
  return DESTINATION_FIELDS.find((field) => rest === field || rest.startsWith(`${field}.`));
}

/** "selections.2.title" / "selections[2].title" → 2. */
function selectionIndexOf(path: string): number | undefined {
  const match = /^selections(?:\.|\[)(\d+)\]?(?:\.|$)/.exec(path);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * The server's VALIDATION fieldErrors for createGeneratedTests: destination fields, titles of the
 * selections (by position in the input), and anything else as plain messages.
 */
export function mapCreateFieldErrors(
  fieldErrors: Record<string, string> | undefined,
  input: CreateGeneratedTestsInput,
): { destination: DestinationErrors; titles: Record<string, string>; other: string[] } {
  const destination: DestinationErrors = {};
  const titles: Record<string, string> = {};
  const other: string[] = [];
  for (const [path, message] of Object.entries(fieldErrors ?? {})) {
    const field = destinationFieldOf(path);
    const index = selectionIndexOf(path);
    const selection = index === undefined ? undefined : input.selections[index];
    if (path.startsWith('destination') && field) destination[field] ??= message;
    else if (selection) titles[selection.id] ??= message;
    else if (field) destination[field] ??= message;
    else other.push(message);
  }
  return { destination, titles, other };
}

// ---------- creating ----------

/** The createGeneratedTests input: the selected proposals (with edited titles) and the destination. */
export function buildCreateInput(
  generation: Pick<GenerationDto, 'proposals'>,
  review: ReviewState,
  created: Record<string, string>,
  destination: DestinationForm,
): CreateGeneratedTestsInput {
  return {
    selections: selectedProposals(generation, review, created).map((proposal) => {
      const title = titleOf(review, proposal).trim();
      return title !== proposal.title ? { id: proposal.id, title } : { id: proposal.id };
    }),
    destination: toDestinationDto(destination),
  };
}

/** Rows to show while the first createGeneratedTests call is on its way. */
export function pendingItemsOf(
  input: CreateGeneratedTestsInput,
  proposals: Pick<ProposalDto, 'id' | 'title'>[],
): CreationItemDto[] {
  return input.selections.map((selection) => ({
    proposalId: selection.id,
    title:
      selection.title ?? proposals.find((proposal) => proposal.id === selection.id)?.title ?? selection.id,
    status: 'pending',
  }));
}

export interface CreationCounts {
  total: number;
  created: number;
  /** Created in Xray but not linked to the requirement yet. */
  notLinked: number;
  failed: number;
  pending: number;
}

export function creationCounts(items: Pick<CreationItemDto, 'status'>[]): CreationCounts {
  const counts: CreationCounts = { total: items.length, created: 0, notLinked: 0, failed: 0, pending: 0 };
  for (const item of items) counts[item.status] += 1;
  return counts;
}

/** "3 created · 1 created, not linked · 1 failed · 0 pending" (the not-linked part only when there are). */
export function countsText(counts: CreationCounts): string {
  return [
    `${counts.created} created`,
    ...(counts.notLinked > 0 ? [`${counts.notLinked} created, not linked`] : []),
    `${counts.failed} failed`,
    `${counts.pending} pending`,
  ].join(' · ');
}

/** Keys joined for reading: "DEMO-11", "DEMO-11 and DEMO-12", "DEMO-11, DEMO-12 and DEMO-13". */
export function keysText(keys: string[]): string {
  if (keys.length <= 1) return keys.join('');
  return `${keys.slice(0, -1).join(', ')} and ${keys[keys.length - 1] ?? ''}`;
}

/** Where the tests went, in words: "added to Test Set DEMO-20 and Test Plan DEMO-40". */
export function whereText(organised: CreationDto['organised']): string {
  const parts = organisedParts(organised).map((part) =>
    part.key ? `${part.label} ${part.key}` : `folder ${part.path ?? ''}`,
  );
  return parts.length === 0 ? '' : `added to ${keysText(parts)}`;
}

/**
 * The creation in one sentence (the collapsed review, the flag, the announcement):
 * "3 tests created: DEMO-11, DEMO-12 and DEMO-13, added to Test Set DEMO-20."
 */
export function creationSummaryText(creation: Pick<CreationDto, 'items' | 'organised'>): string {
  const keys = creation.items.flatMap((item) => (item.status === 'created' && item.key ? [item.key] : []));
  const where = whereText(creation.organised);
  const head = `${testsText(keys.length)} created${keys.length > 0 ? `: ${keysText(keys)}` : ''}`;
  return `${head}${where ? `, ${where}` : ''}.`;
}

/** The keys a finished creation made and organised into, for links (tests first, then containers). */
export function creationKeys(creation: Pick<CreationDto, 'items' | 'organised'>): string[] {
  const tests = creation.items.flatMap((item) => (item.status === 'created' && item.key ? [item.key] : []));
  const containers = organisedParts(creation.organised).flatMap((part) => (part.key ? [part.key] : []));
  return [...tests, ...containers];
}

/** "Created 3 tests", "Created 2 of 3 tests". */
export function createdText(counts: CreationCounts): string {
  return counts.created === counts.total
    ? `Created ${testsText(counts.created)}`
    : `Created ${counts.created} of ${testsText(counts.total)}`;
}

export interface OrganisedPart {
  label: 'Test Set' | 'Test Execution' | 'Test Plan' | 'Folder';
  /** The issue key (sets, executions, plans). */
  key?: string;
  /** The folder path. */
  path?: string;
  /** Created by this run (a new set or execution). */
  created?: boolean;
}

/** Where the created tests went, in the order of the destination form. */
export function organisedParts(organised: CreationDto['organised']): OrganisedPart[] {
  const parts: OrganisedPart[] = [];
  if (organised.testSet)
    parts.push({ label: 'Test Set', key: organised.testSet.key, created: organised.testSet.created });
  if (organised.testExecution)
    parts.push({
      label: 'Test Execution',
      key: organised.testExecution.key,
      created: organised.testExecution.created,
    });
  if (organised.testPlan) parts.push({ label: 'Test Plan', key: organised.testPlan.key });
  if (organised.folder) parts.push({ label: 'Folder', path: organised.folder });
  return parts;
}

/** The known destinations of one kind, for the "existing" pickers. */
export function knownOf(
  panel: Pick<GenerationPanelDto, 'knownDestinations'> | null,
  field: 'testSet' | 'testExecution' | 'testPlan',
): { key: string; summary: string }[] {
  if (!panel) return [];
  const known = panel.knownDestinations;
  return field === 'testSet'
    ? known.testSets
    : field === 'testExecution'
      ? known.testExecutions
      : known.testPlans;
}
