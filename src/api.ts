/**
 * The contract between the Custom UIs (static/) and the resolvers: resolver names and DTOs.
 * The UI imports this module type-only (`import type`) plus the tiny constant maps below, so
 * nothing backend-only is ever bundled into the browser.
 */
import type { ContextDocument } from './context/schema';

export const RESOLVERS = {
  getSettings: 'getSettings',
  saveSettings: 'saveSettings',
  testConnection: 'testConnection',
  disconnect: 'disconnect',
  getIssuePanel: 'getIssuePanel',
  previewContext: 'previewContext',
  sendToSqai: 'sendToSqai',
  getGenerationPanel: 'getGenerationPanel',
  startGeneration: 'startGeneration',
  pollGeneration: 'pollGeneration',
  createGeneratedTests: 'createGeneratedTests',
  continueCreation: 'continueCreation',
  saveReviewEdits: 'saveReviewEdits',
  getDeliverySettings: 'getDeliverySettings',
  rotateDeliverySecret: 'rotateDeliverySecret',
  getSyncStatus: 'getSyncStatus',
  startBackfill: 'startBackfill',
  getCriteria: 'getCriteria',
  changeCriterionMapping: 'changeCriterionMapping',
  suggestCriterionMappings: 'suggestCriterionMappings',
  getProjectCriteria: 'getProjectCriteria',
  proposeTestUpdates: 'proposeTestUpdates',
  decideTestUpdates: 'decideTestUpdates',
  markTestsReviewed: 'markTestsReviewed',
  getAuditTrail: 'getAuditTrail',
  exportAuditTrail: 'exportAuditTrail',
  checkRedactionPattern: 'checkRedactionPattern',
} as const;

export type ResolverName = (typeof RESOLVERS)[keyof typeof RESOLVERS];

export const XRAY_REGIONS = ['global', 'us', 'eu', 'au'] as const;
export type XrayRegion = (typeof XRAY_REGIONS)[number];

export const XRAY_REGION_LABELS: Record<XrayRegion, string> = {
  global: 'Global (xray.cloud.getxray.app)',
  us: 'United States (us.xray.cloud.getxray.app)',
  eu: 'European Union (eu.xray.cloud.getxray.app)',
  au: 'Australia (au.xray.cloud.getxray.app)',
};

export const XRAY_TIERS = ['standard', 'enterprise'] as const;
export type XrayTier = (typeof XRAY_TIERS)[number];

export const XRAY_TIER_LABELS: Record<XrayTier, string> = {
  standard: 'Standard (300 API requests / 5 min)',
  enterprise: 'Enterprise (1,000 API requests / 5 min)',
};

/** Every code of the error taxonomy (src/errors.ts words each one). */
export const ERROR_CODES = [
  'JIRA_UNAUTHORIZED',
  'JIRA_UNAVAILABLE',
  'PROJECT_NOT_FOUND',
  'ISSUE_NOT_FOUND',
  'XRAY_AUTH_FAILED',
  'XRAY_LICENSE_INVALID',
  'XRAY_WRONG_REGION',
  'XRAY_API_ERROR',
  'KEY_EXPIRED',
  'KEY_EXPIRING',
  'SQAI_UNREACHABLE',
  'SQAI_UNAUTHORIZED',
  'SQAI_REJECTED',
  'EGRESS_NOT_ALLOWED',
  'NOT_CONFIGURED',
  'RATE_LIMITED',
  'VALIDATION',
  'FORBIDDEN',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * What the UI gets for any failure: never a secret, never a stack. Shown as `title` (a few words,
 * e.g. "SQAI Rejected"), then `detail` (what failed: the action, who answered what — statuses and
 * paths, never bodies), then `remedy` (what *the reader* can do: a tester is told whom to ask about
 * configuration, a project admin what to change).
 */
export interface ErrorDto {
  code: ErrorCode;
  /**
   * Short title. Every error the backend answers with has it; a stored error may not (storage keeps
   * code, message and remedy: src/platform/storage-bounds.ts), nor one the UI makes up.
   */
  title?: string;
  /** What failed, in a sentence; present whenever `title` is. */
  detail?: string;
  /** The one-line form (`Title — detail`, or `purpose: Title — detail`): lists, logs, stored errors. */
  message: string;
  remedy: string;
  /** Field path (e.g. `sqai.endpoint`) → message, for VALIDATION errors. */
  fieldErrors?: Record<string, string>;
  /** For XRAY_WRONG_REGION: the region that answered. */
  suggestedRegion?: XrayRegion;
  /** For EGRESS_NOT_ALLOWED: the host an admin must approve. */
  host?: string;
}

export type ResolverResult<T> = { ok: true; data: T } | { ok: false; error: ErrorDto };

export type SecretState = 'set' | 'unset';

export interface SyncOptionsDto {
  enabled: boolean;
  requirementIssueTypes: string[];
  includeRemoteLinks: boolean;
  includeTestRuns: boolean;
  /** A text custom field holding acceptance criteria (`customfield_10042`); '' or absent: none. */
  criteriaField?: string;
  /** Section names that hold acceptance criteria; empty or absent: the defaults. */
  criteriaTitles?: string[];
}

export interface SettingsDto {
  xray: { clientId: string; region: XrayRegion; tier: XrayTier };
  /** Issue 20: what leaves Jira. Absent in settings saved before: the defaults (every source, every detector). */
  dataControls?: DataControlsDto;
  sqai: { endpoint: string };
  keyExpiresOn?: string;
  sync: SyncOptionsDto;
}

export interface SettingsView {
  project: { id: string; key: string };
  /** `null` when the project has never been configured. */
  settings: SettingsDto | null;
  secrets: { xrayClientSecret: SecretState; sqaiToken: SecretState };
  /**
   * Whether the SQAI endpoint's host is one the app's manifest declares. An undeclared host works
   * once a Jira admin approves it (customer-managed egress); whether that happened, only the
   * connection check's fetch can tell.
   */
  sqaiEgress: { host: string; declared: boolean } | null;
  lastCheck: ConnectionReport | null;
  /** Shown as a banner when the key expires within 14 days or has expired. */
  keyReminder?: KeyReminderDto;
  updatedAt?: string;
  updatedBy?: string;
  /** Who `updatedBy` is, as the viewing user may see them in Jira. */
  people?: PeopleDto;
}

/**
 * A person as the viewing user may see them in Jira (bulkGetUsers, as that user): their display
 * name and 48 px avatar. An account Jira cannot name for the viewer is "Unknown user" (or "Former
 * user" when deleted or deactivated) — never the raw account id.
 */
export interface PersonDto {
  accountId: string;
  displayName: string;
  avatarUrl?: string;
}

/** The people a view names, by account id. */
export type PeopleDto = Record<string, PersonDto>;

/** `saveSettings` payload: the settings plus write-only secrets (empty / absent = keep stored). */
export interface SaveSettingsInput extends SettingsDto {
  secrets?: { xrayClientSecret?: string; sqaiToken?: string };
}

export type CheckName = 'jira' | 'xray' | 'sqai' | 'keyExpiry';

export interface CheckResult {
  check: CheckName;
  label: string;
  status: 'pass' | 'fail' | 'warn' | 'skipped';
  /** Short human summary of what was verified, e.g. "Project DEMO readable by the app". */
  detail: string;
  error?: ErrorDto;
  durationMs: number;
}

export interface ConnectionReport {
  ok: boolean;
  checkedAt: string;
  checks: CheckResult[];
}

export interface SaveSettingsResult {
  view: SettingsView;
  report: ConnectionReport;
}

// ---------- issue panel ----------

/** What started a sync: the panel's button, the hourly trigger, or a backfill. */
export type SyncTrigger = 'panel' | 'scheduled' | 'backfill';

export type SyncOutcome = 'pushed' | 'unchanged' | 'failed';

export interface SyncHistoryEntryDto {
  at: string;
  trigger: SyncTrigger;
  /** The account that pressed the button (panel syncs only). */
  by?: string;
  contentHash: string;
  outcome: SyncOutcome;
  errorCode?: ErrorCode;
  durationMs: number;
}

export interface IssueSyncStateDto {
  status: 'never' | 'synced' | 'failed';
  /** Last successful push. */
  syncedAt?: string;
  syncedBy?: string;
  /** Hash of the document SQAI holds (last successful push). */
  contentHash?: string;
  /** The last attempt's error, when it failed. */
  error?: ErrorDto;
  attempts: number;
  /** Newest first, bounded. */
  history: SyncHistoryEntryDto[];
}

/** Counts of what the context document holds, for "what will be sent". */
export interface ContextSummaryDto {
  issue: { id: string; key: string; summary: string; type: string; status: string };
  /** Whether Xray treats the issue's type as coverable (or the admin listed it as a requirement type). */
  isRequirement: boolean;
  linkedIssues: number;
  remoteLinks: number;
  confluencePages: number;
  tests: { total: number; byType: Record<string, number> };
  testSets: number;
  testExecutions: number;
  testPlans: number;
  /** Latest run status of each covering test. */
  latestResults: {
    passed: number;
    failed: number;
    todo: number;
    executing: number;
    other: number;
    notRun: number;
  };
  /** Xray's coverage status name (OK, NOK, NOTRUN, UNCOVERED, …), when Xray reports one. */
  coverage: string | null;
  contentHash: string;
  sizeBytes: number;
  /** Fields cut to fit SQAI's and Forge's limits (each marked in the document). */
  truncated: string[];
}

export interface IssuePanelView {
  project: { id: string; key: string };
  issue: { id: string; key: string };
  configured: boolean;
  /** The caller administers the project (the panel then links to the settings page). */
  canConfigure: boolean;
  state: IssueSyncStateDto;
  /** Null when the project is not configured. */
  summary: ContextSummaryDto | null;
  /** SQAI already holds exactly this content. */
  upToDate: boolean;
  /** For project admins: the Xray key expires soon or has expired. */
  keyReminder?: KeyReminderDto;
  /** Everyone `state` names (`syncedBy`, each history entry's `by`) and the viewer, by account id. */
  people?: PeopleDto;
}

export interface SendToSqaiInput {
  /** Push even when SQAI already holds this exact content. */
  force?: boolean;
}

export interface SendToSqaiResult {
  outcome: Exclude<SyncOutcome, 'failed'>;
  state: IssueSyncStateDto;
  summary: ContextSummaryDto;
  durationMs: number;
}

export interface ContextPreviewDto {
  /** The exact `sqai.context/v1` document the app would send. */
  document: ContextDocument;
  contentHash: string;
  sizeBytes: number;
}

// ---------- generated tests ----------

/** A test type of the project as Xray configures it (names are per project; kinds are fixed). */
export interface ProjectTestTypeDto {
  name: string;
  kind: string;
}

export interface ProposedStepDto {
  action: string;
  data: string | null;
  result: string | null;
}

/** One test SQAI proposed, checked and compared with what exists. */
export interface ProposalDto {
  /** SQAI's id of the generated test (stable across polls). */
  id: string;
  title: string;
  /** The project's test type it will be created as, and its kind. */
  testType: string;
  kind: string;
  priority: string | null;
  labels: string[];
  steps?: ProposedStepDto[];
  gherkin?: string;
  definition?: string;
  rationale: string | null;
  /** Why it cannot be created as proposed (empty = valid). Invalid proposals cannot be selected. */
  problems: string[];
  /** What the reviewer should know; the test can still be selected. */
  warnings?: string[];
  /** A likely duplicate of an existing or earlier generated test. */
  duplicateOf?: { key: string; summary: string; similarity: number };
  /** Valid and not a likely duplicate. */
  selectedByDefault: boolean;
  /** Already created in Xray (a test is created once, however often you click). */
  created?: { id: string; key: string };
}

export type GenerationStatus = 'pending' | 'running' | 'succeeded' | 'failed';

export interface CreationItemDto {
  proposalId: string;
  title: string;
  /**
   * `notLinked`: the test exists in Xray (`key`) but is not linked to the requirement yet (Retry
   * failed links it); `failed`: not finished for `error` (`key` is set when the test exists).
   */
  status: 'pending' | 'created' | 'notLinked' | 'failed';
  key?: string;
  error?: ErrorDto;
}

export type DestinationChoice = { mode: 'existing'; key: string } | { mode: 'new'; summary: string };

export interface DestinationDto {
  testSet?: DestinationChoice;
  testExecution?: DestinationChoice;
  /** An existing Test Plan. */
  testPlan?: { key: string };
  /** An Xray test repository folder, e.g. "/Checkout/Generated". */
  folder?: string;
}

export interface CreationDto {
  /** `running`: call continueCreation; `partial`: some failed (retry with continueCreation). */
  status: 'running' | 'done' | 'partial';
  destination: DestinationDto;
  items: CreationItemDto[];
  /** Where the created tests went. */
  organised: {
    testSet?: { key: string; created: boolean };
    testExecution?: { key: string; created: boolean };
    testPlan?: { key: string };
    folder?: string;
  };
  /** Failures of the organising steps (adding to a set, execution, plan or folder). */
  errors: ErrorDto[];
  startedAt: string;
  finishedAt?: string;
  /** Large creations run in the background (queue); the panel polls. */
  queued: boolean;
}

export interface GenerationDto {
  id: string;
  status: GenerationStatus;
  requestedAt: string;
  requestedBy: string;
  contentHash: string;
  previousContentHash?: string;
  testTypes: string[];
  maxTests: number;
  instructions?: string;
  error?: ErrorDto;
  proposals: ProposalDto[];
  /** `updates`: an update-mode generation (issue 19) — `updates` holds its per-test proposals. */
  mode?: 'tests' | 'updates';
  updates?: TestUpdateProposalDto[];
  /** Tests SQAI sent that failed validation outright (malformed). */
  rejected: { id?: string; reason: string }[];
  creation?: CreationDto;
}

export interface GenerationPanelDto {
  testTypes: ProjectTestTypeDto[];
  generation: GenerationDto | null;
  /** Destinations the requirement's tests already use (for the "existing" pickers). */
  knownDestinations: {
    testSets: { key: string; summary: string }[];
    testExecutions: { key: string; summary: string }[];
    testPlans: { key: string; summary: string }[];
  };
  /** The requirement changed since the last generation: the next one asks for tests for the change. */
  contextChanged: boolean;
  /** The calling user's saved review of the current generation (null: none saved, or another generation). */
  reviewEdits: ReviewEditsDto | null;
}

/** One "existing or new" destination as the review form holds it. */
export interface ReviewChoiceDto {
  mode: 'none' | 'existing' | 'new';
  key: string;
  summary: string;
  /** An existing key typed in rather than picked from the known destinations. */
  keyTyped: boolean;
}

/** The review's destination form, as the reviewer left it. */
export interface ReviewDestinationDto {
  testSet: ReviewChoiceDto;
  testExecution: ReviewChoiceDto;
  testPlan: { mode: 'none' | 'existing'; key: string; keyTyped: boolean };
  folder: string;
}

/** A reviewer's edits of a generation (kept per user, so they survive a reload). */
export interface ReviewEditsDto {
  generationId: string;
  /** Proposal id → selected (absent: the proposal's default). */
  selected: Record<string, boolean>;
  /** Proposal id → the title as edited (absent: SQAI's). */
  titles: Record<string, string>;
  destination: ReviewDestinationDto;
}

export interface SavedReviewEditsDto {
  savedAt: string;
}

export interface StartGenerationInput {
  testTypes: string[];
  maxTests: number;
  instructions?: string;
  /** Replace another user's proposals that were not created yet (the answer asks first). */
  replace?: boolean;
  /**
   * Limit the generation to these criteria (the Criteria view's "Generate tests for uncovered
   * criteria"): SQAI is asked for tests proving only them. An id the requirement does not list is a
   * field error.
   */
  criterionIds?: string[];
}

export interface CreateGeneratedTestsInput {
  selections: { id: string; title?: string }[];
  destination: DestinationDto;
}

/** The web trigger SQAI delivers generations to (per project). */
export interface DeliverySettingsDto {
  url: string | null;
  secret: SecretState;
}

export interface RotatedDeliverySecretDto {
  url: string | null;
  /** Shown once; copy it into SQAI. */
  secret: string;
}

// ---------- scheduled sync, backfill, reminders ----------

export type SyncRunKind = 'scheduled' | 'backfill';

/** One run of the sync for a project (an hourly incremental run, or a backfill of every requirement). */
export interface SyncRunDto {
  id: string;
  kind: SyncRunKind;
  status: 'queued' | 'running' | 'done' | 'failed';
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
  /** Requirements to look at in this run (known once they are enumerated). */
  total: number;
  done: number;
  pushed: number;
  unchanged: number;
  failed: number;
  /** Requirements per minute so far. */
  ratePerMinute: number;
  /** Estimated finish, while running. */
  etaAt?: string;
  /** While a rate limit (Jira's hourly quota, Xray's budget) holds the run back: when it resumes. */
  pausedUntil?: string;
  /** The run's own failure (not a requirement's), e.g. Jira unreachable. */
  error?: ErrorDto;
}

export interface RetryEntryDto {
  issueId: string;
  issueKey?: string;
  attempts: number;
  lastError: ErrorDto;
  /** After this many failed attempts the app stops retrying and shows it here. */
  gaveUp: boolean;
}

export interface SyncStatusDto {
  enabled: boolean;
  /** Up to where changes have been synced (the cursor). */
  syncedUpTo?: string;
  lastRun?: SyncRunDto;
  /** A backfill that is running or the last one. */
  backfill?: SyncRunDto;
  /** The hourly trigger's next run (approximate: Forge schedules it). */
  nextRunAt?: string;
  /** Requirements parked for retry (they go first in the next run). */
  retrySetSize: number;
  retries: RetryEntryDto[];
}

/** The Xray key-expiry reminder (shown to project admins on the settings page and in the issue panel). */
export interface KeyReminderDto {
  status: 'expiring' | 'expired';
  expiresOn: string;
  days: number;
}

// ---------- acceptance-criterion traceability (issue 18; docs/criteria.md) ----------

/** A criterion's state, in order of precedence (src/criteria/state.ts). */
export type CriterionStateName = 'proven' | 'failing' | 'stale' | 'changed' | 'notRun' | 'noTest';

/** How a test came to prove a criterion (`suggested` does not count until a user confirms it). */
export type CriterionMappingSource = 'generated' | 'suggested' | 'confirmed' | 'manual';

/** Counts of criteria per state; `unproven` = criteria − proven. */
export interface CriteriaSummaryDto {
  criteria: number;
  proven: number;
  failing: number;
  /** Criteria a counted test of which is possibly stale (issue 19): not proven until it is reviewed. */
  stale?: number;
  changed: number;
  notRun: number;
  noTest: number;
  unproven: number;
  /** Tests of the requirement that are possibly stale (issue 19). */
  staleTests?: number;
}

/** A test that counts for a criterion, with its latest result in the view's scope. */
export interface CriterionTestDto {
  key: string;
  summary?: string;
  source: Exclude<CriterionMappingSource, 'suggested'>;
  outcome: 'passed' | 'failed' | 'notRun';
  /** Xray's run status name (PASSED, FAILED, TODO, a custom one); absent: never run. */
  status?: string;
  at?: string;
  /** It passed before the criterion's wording last changed. */
  stale: boolean;
  /** The test was written or last reviewed against another wording of this criterion (issue 19). */
  staleReasons?: StaleReasonDto[];
}

export interface CriterionDto {
  id: string;
  text: string;
  state: CriterionStateName;
  /** Its wording changed at the last read of the requirement (revision > 1 since `since`). */
  revision: number;
  since: string;
  tests: CriterionTestDto[];
  /** Tests SQAI suggested for it that nobody confirmed yet, most confident first. */
  suggested: { key: string; summary?: string; confidence?: number }[];
}

/**
 * The issue panel's Criteria view. `status`: `ready` — criteria known; `noCriteria` — the
 * requirement was read and has none the app recognises; `notSynced` — never sent or synced yet.
 * Tests the caller may not see are left out (counted in `hiddenTests`), so are their results.
 */
export interface CriteriaViewDto {
  status: 'ready' | 'noCriteria' | 'notSynced';
  criteria: CriterionDto[];
  summary: CriteriaSummaryDto;
  /**
   * Tests covering the requirement that prove no criterion yet (candidates to map by hand): the tests
   * the last sync found linked to it, run or not, with no counted mapping to a current criterion.
   */
  unmappedTests: { key: string; summary?: string }[];
  /** Tests of the requirement the caller may not see: left out of every list, still in the states. */
  hiddenTests: number;
  /** When the stored state was last brought up to date (a send, a sync, a mapping change). */
  updatedAt?: string;
  /** The caller may change mappings (Jira's Edit issues permission on the requirement). */
  canEdit: boolean;
  /** The last time SQAI was asked to suggest mappings for this requirement. */
  suggestedAt?: string;
  /**
   * The Test Plans whose results the app keeps for this requirement (the newest 4 its tests are in)
   * and the caller may see, in the order the sync keeps them: the scopes the view can be read in.
   */
  plans: CriteriaPlanDto[];
  /**
   * The Test Executions whose results the app keeps for this requirement (the newest 4 its tests ran
   * in) and the caller may see, newest first: scopes too. Absent from views written before them.
   */
  executions?: CriteriaPlanDto[];
  /**
   * The scope the states were computed in: the latest run overall (no key), the asked Test Plan's
   * runs (`testPlanKey`) or the asked Test Execution's (`testExecutionKey`). `kept: false` — the asked
   * plan or execution is not one of `plans` / `executions`; the states are then the latest run's.
   */
  scope: { testPlanKey?: string; testExecutionKey?: string; kept: boolean };
  /** Tests the caller may see that are possibly stale, with why (issue 19); absent before it. */
  staleTests?: StaleTestDto[];
}

/** A Test Plan (or Test Execution) the Criteria view can be scoped to. */
export interface CriteriaPlanDto {
  key: string;
  summary?: string;
}

/**
 * The Criteria view's scope: a Test Plan's runs (`testPlanKey`), a Test Execution's
 * (`testExecutionKey`; at most one of the two), or the latest run overall (neither).
 */
export interface GetCriteriaInput {
  testPlanKey?: string;
  testExecutionKey?: string;
}

/**
 * Change one test's mapping to one criterion. `confirm`/`reject` act on a suggestion. Needs Edit
 * issues on the requirement (FORBIDDEN); `criterionId` must be a current criterion and `testKey` a
 * test covering the requirement the caller sees (VALIDATION field errors). Answers the new view.
 */
export interface ChangeCriterionMappingInput {
  action: 'map' | 'unmap' | 'confirm' | 'reject';
  testKey: string;
  criterionId: string;
}

export interface SuggestCriterionMappingsResult {
  view: CriteriaViewDto;
  /** Tests sent to SQAI to classify, and the suggestions that came back. */
  classified: number;
  suggestions: number;
}

/** One requirement in the project view's ranking. */
export interface ProjectCriteriaRequirementDto {
  key: string;
  summary?: string;
  summaryCounts: CriteriaSummaryDto;
}

/** The settings page's project view of criteria (item 6), paged. */
export interface ProjectCriteriaDto {
  /** Totals over the project's requirements that have criteria, as of `computedAt`. */
  totals: CriteriaSummaryDto & { requirements: number };
  computedAt?: string;
  /** Requirements with the most unproven criteria first, one page. */
  requirements: ProjectCriteriaRequirementDto[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

/** The project's totals before any requirement is counted (the backend's start, the settings page's empty state). */
export const emptyProjectTotals = (): Required<ProjectCriteriaDto['totals']> => ({
  requirements: 0,
  criteria: 0,
  proven: 0,
  failing: 0,
  stale: 0,
  changed: 0,
  notRun: 0,
  noTest: 0,
  unproven: 0,
  staleTests: 0,
});

export interface GetProjectCriteriaInput {
  cursor?: string;
  /** Page size, 1–50 (default 20). */
  limit?: number;
}

// ---------- living tests (issue 19; docs/living-tests.md) ----------

/**
 * Why a test is possibly stale. `number` is the criterion's 1-based position in the requirement's
 * current list; `before` is the wording the test was written or last reviewed against (absent when the
 * app no longer holds it), `after` the current one.
 */
export type StaleReasonDto =
  | { kind: 'criterionChanged'; criterionId: string; number: number; before?: string; after: string }
  | { kind: 'criterionRemoved'; criterionId: string; before?: string }
  | { kind: 'requirementChanged' };

/** A test that is possibly stale for this requirement. */
export interface StaleTestDto {
  key: string;
  summary?: string;
  reasons: StaleReasonDto[];
  /** When the app first saw it stale. */
  since: string;
}

/** A test's content as Xray holds it (by its kind). */
export interface TestContentDto {
  kind: 'Steps' | 'Gherkin' | 'Unstructured';
  steps?: ProposedStepDto[];
  gherkin?: string;
  definition?: string;
}

/** What SQAI says of one stale test. */
export type TestUpdateVerdict = 'update' | 'obsolete' | 'valid';

/**
 * Why SQAI's answer for a stale test cannot be used: `unknownPlaceholder` — its proposed content
 * names a placeholder the app did not send (SQAI was sent the test with its personal data replaced by
 * placeholders, and the app restores only those; docs/data-controls.md "Updates and redaction");
 * `tooLarge` — the proposal is too large to store (docs/living-tests.md).
 */
export const UNUSABLE_ANSWERS = ['unknownPlaceholder', 'tooLarge'] as const;
export type UnusableAnswer = (typeof UNUSABLE_ANSWERS)[number];

/**
 * One proposal of an update-mode generation, as reviewed. `status`: `proposed` (awaiting a decision),
 * `applying` (an apply is under way or was interrupted: deciding again resumes it), `applied`,
 * `conflict` (the test changed in Xray since the proposal: nothing was written), `rejected`, `kept`
 * (obsolete, kept as it is), `unlinked` (obsolete, its coverage link removed), `confirmed` (still
 * valid, marked reviewed), `failed` (`error`; deciding again retries).
 */
export interface TestUpdateProposalDto {
  testKey: string;
  summary?: string;
  verdict: TestUpdateVerdict;
  reason: string | null;
  /** The requirement's criteria the test proves (current ids). */
  criterionIds: string[];
  staleReasons: StaleReasonDto[];
  /** The test's content the proposal was made from. */
  before: TestContentDto;
  /** The proposed content (verdict `update`). */
  after?: TestContentDto;
  status:
    | 'proposed'
    | 'applying'
    | 'applied'
    | 'conflict'
    | 'rejected'
    | 'kept'
    | 'unlinked'
    | 'confirmed'
    | 'failed';
  /** Steps written so far / to write, while applying a large update. */
  progress?: { done: number; total: number };
  error?: ErrorDto;
  decidedBy?: string;
  decidedAt?: string;
  /**
   * Set when SQAI's answer could not be used: the proposal then reads as still valid, without
   * content, and `reason` says why in words (nothing of the answer can be applied).
   */
  unusable?: UnusableAnswer;
}

/** Ask SQAI to propose updates for the requirement's possibly stale tests (all the caller sees by default). */
export interface ProposeTestUpdatesInput {
  testKeys?: string[];
  /** Replace another user's proposals that were not acted on yet (the answer asks first). */
  replace?: boolean;
}

/**
 * Decisions on an update-mode generation's proposals. `apply`: write the update (`edited`: the
 * reviewer's edit of the proposed content, same kind); `reject`; `keep` / `unlink` (obsolete);
 * `confirm` (still valid: mark reviewed). An empty list continues an apply that ran out of time.
 */
export interface DecideTestUpdatesInput {
  generationId: string;
  decisions: {
    testKey: string;
    action: 'apply' | 'reject' | 'keep' | 'unlink' | 'confirm';
    edited?: TestContentDto;
  }[];
}

/**
 * Mark possibly stale tests reviewed without asking SQAI (the person checked them, or updated them in
 * Xray): each must be one of the requirement's possibly stale tests the caller sees. Needs Edit issues
 * on the requirement. Answers the new Criteria view (latest run).
 */
export interface MarkTestsReviewedInput {
  testKeys: string[];
}

export interface DecideTestUpdatesResult {
  updates: TestUpdateProposalDto[];
  /** Work is left (a large apply moved on to the queue): poll the generation panel. */
  running: boolean;
}

// ---------- richer context under the admin's control (issue 20; docs/data-controls.md) ----------

/** The sources of a context document an admin can keep from leaving Jira. */
export const CONTEXT_SOURCES = [
  'description',
  'linkedIssues',
  'confluence',
  'attachments',
  'testSteps',
  'testResults',
  'peopleNames',
] as const;
export type ContextSource = (typeof CONTEXT_SOURCES)[number];

/** The requirement's fields an admin may keep from leaving Jira (the allow-list; absent: all). */
export const REQUIREMENT_FIELDS = [
  'status',
  'priority',
  'labels',
  'components',
  'fixVersions',
  'dates',
  'url',
] as const;
export type RequirementField = (typeof REQUIREMENT_FIELDS)[number];

/** Built-in detectors of values that must not leave Jira; each match becomes `[<kind>-<n>]`. */
export const REDACTION_KINDS = ['email', 'phone', 'paymentCard', 'iban', 'ipAddress', 'token'] as const;
export type RedactionKind = (typeof REDACTION_KINDS)[number];

/** An admin-defined pattern: its matches become `[<name>-<n>]`. */
export interface CustomPatternDto {
  /** Lower-case letters, digits and dashes (the placeholder's kind), e.g. `customer-id`. */
  name: string;
  /** A JavaScript regular expression source (no flags; matched globally, case-sensitively). */
  pattern: string;
}

/** How long the audit trail keeps entries (days): the bounds and the default. */
export const AUDIT_RETENTION_DAYS = { min: 1, max: 365, default: 90 } as const;

/** What leaves Jira, per project (settings page → "What leaves Jira"). */
export interface DataControlsDto {
  sources: Record<ContextSource, boolean>;
  /** The requirement's fields that may be sent. */
  fields: RequirementField[];
  redaction: {
    detectors: Record<RedactionKind, boolean>;
    customPatterns: CustomPatternDto[];
  };
  /** How long the audit trail keeps entries (days). */
  auditRetentionDays: number;
}

/** One entry of the audit trail: a document sent to SQAI, or a delivery received from it. */
export interface AuditEntryDto {
  id: string;
  at: string;
  direction: 'sent' | 'received';
  /** Who caused it: a user (panel), the schedule (hourly sync, backfill), or SQAI (a delivery). */
  actor: { kind: 'user' | 'schedule' | 'sqai'; accountId?: string };
  requirement: { id: string; key: string };
  /** The sources the document carried (sent), or what the delivery held (received). */
  sources: string[];
  redactions: Partial<Record<string, number>>;
  bytes: number;
  contentHash?: string;
  host: string;
  outcome: string;
}

export interface GetAuditTrailInput {
  direction?: 'sent' | 'received';
  issueKey?: string;
  /** ISO dates (YYYY-MM-DD), inclusive, UTC. */
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

export interface AuditTrailDto {
  entries: AuditEntryDto[];
  nextCursor?: string;
  retentionDays: number;
}

export interface ExportAuditTrailInput extends Omit<GetAuditTrailInput, 'cursor' | 'limit'> {
  format: 'csv' | 'json';
}

export interface AuditExportDto {
  filename: string;
  mimeType: string;
  content: string;
  /** Entries in the export, and whether more matched than one export holds. */
  entries: number;
  truncated: boolean;
}

export interface CheckRedactionPatternInput {
  pattern: string;
  sample?: string;
  /** The pattern's name: the sample's placeholders carry it (`[customer-id-1]`); absent: `custom`. */
  name?: string;
}

/** A pattern the app accepts (it cannot hang), and what it redacts in `sample`. */
export interface RedactionPatternCheckDto {
  ok: boolean;
  problem?: string;
  redactedSample?: string;
  matches?: number;
}

/** The data controls of a project that never chose: every source and field, every detector, 90 days. */
export function defaultDataControls(): DataControlsDto {
  return {
    sources: Object.fromEntries(
      CONTEXT_SOURCES.map((source) => [source, true]),
    ) as DataControlsDto['sources'],
    fields: [...REQUIREMENT_FIELDS],
    redaction: {
      detectors: Object.fromEntries(
        REDACTION_KINDS.map((kind) => [kind, true]),
      ) as DataControlsDto['redaction']['detectors'],
      customPatterns: [],
    },
    auditRetentionDays: AUDIT_RETENTION_DAYS.default,
  };
}
