/**
 * A local stand-in for `@forge/bridge`, aliased in by `npm run build:ui` for the playground build
 * (.playground/ui/<app>/). It runs in the browser, inside the playground shell's iframe, and
 * implements the subset of the bridge the Custom UIs use, with the real package's signatures:
 *
 *   invoke(key, payload)          POST /__invoke {functionKey, payload, context}  (same origin)
 *   view.getContext()             FullContext from the iframe URL (see below)
 *   view.theme.enable()           Atlassian design tokens via @atlaskit/tokens setGlobalTheme
 *   view.refresh/close/submit     no-ops
 *   router.open/navigate/reload   window.open / top-level navigation / reload
 *   showFlag(options)             postMessage({type: 'forge-flag', …}) to the shell
 *   permissions.egress.set/get    POST /__egress?accountId=… (an admin approving a host)
 *
 * The iframe URL carries the Forge context the real host would provide:
 *   /ui/<app>/index.html?context=<encodeURIComponent(JSON)>&theme=light|dark
 * where the JSON is
 *   { accountId, cloudId, moduleKey, siteUrl?, extension: { type, project?: {id,key,type}, issue?: {id,key,type} } }
 * The shell may switch the theme live with postMessage({type: 'forge-theme', colorMode: 'light'|'dark'}),
 * and may size the iframe from the shim's postMessage({type: 'forge-resize', height}).
 */
import { setGlobalTheme } from '@atlaskit/tokens/set-global-theme';
import type {
  FullContext,
  FlagOptions,
  invoke as forgeInvoke,
  permissions as forgePermissions,
  router as forgeRouter,
  showFlag as forgeShowFlag,
  view as forgeView,
} from '@forge/bridge';

type InvokeArgs = Parameters<typeof forgeInvoke>;
type InvokePayload = NonNullable<InvokeArgs[1]>;
type InvokeMetadata = NonNullable<InvokeArgs[2]>;
/** Mirrors the bridge's (unexported) InvokeResponse: the body, or `{ body, metadata }` when metadata was asked for. */
type InvokeResponse<T> = T | { body: T; metadata?: Record<string, unknown> };
type EgressApi = (typeof forgePermissions)['egress'];
type EgressSetPayload = Parameters<EgressApi['set']>[0];
type EgressSetResponse = Awaited<ReturnType<EgressApi['set']>>;
type EgressGetResponse = Awaited<ReturnType<EgressApi['get']>>;
type NavigationArg = Parameters<(typeof forgeRouter)['open']>[0];

export type ColorMode = 'light' | 'dark';

interface EntityRef {
  id: string;
  key: string;
  type?: string;
}

/** What the playground shell puts in the iframe URL's `context` parameter. */
export interface ShimContext {
  accountId?: string;
  cloudId?: string;
  moduleKey?: string;
  siteUrl?: string;
  extension: { type: string; project?: EntityRef; issue?: EntityRef; [key: string]: unknown };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const optionalString = (value: unknown): string | undefined =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;

function entityOf(value: unknown): EntityRef | undefined {
  if (!isRecord(value)) return undefined;
  const id = optionalString(value.id);
  const key = optionalString(value.key);
  if (id === undefined || key === undefined) return undefined;
  const type = optionalString(value.type);
  return type === undefined ? { id, key } : { id, key, type };
}

/** Parses the `context` query parameter; tolerant of a missing or malformed value (warns). */
export function parseShimContext(raw: string | null): ShimContext {
  if (raw === null || raw === '') {
    console.warn('bridge-shim: the iframe URL has no ?context= parameter; resolvers will see no user.');
    return { extension: { type: 'unknown' } };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    console.warn('bridge-shim: ?context= is not valid JSON; ignoring it.');
    return { extension: { type: 'unknown' } };
  }
  if (!isRecord(parsed)) return { extension: { type: 'unknown' } };
  const extension = isRecord(parsed.extension) ? parsed.extension : {};
  const project = entityOf(extension.project);
  const issue = entityOf(extension.issue);
  const context: ShimContext = {
    extension: {
      ...extension,
      type: optionalString(extension.type) ?? 'unknown',
      ...(project ? { project } : {}),
      ...(issue ? { issue } : {}),
    },
  };
  const accountId = optionalString(parsed.accountId);
  const cloudId = optionalString(parsed.cloudId);
  const moduleKey = optionalString(parsed.moduleKey);
  const siteUrl = optionalString(parsed.siteUrl);
  if (accountId !== undefined) context.accountId = accountId;
  if (cloudId !== undefined) context.cloudId = cloudId;
  if (moduleKey !== undefined) context.moduleKey = moduleKey;
  if (siteUrl !== undefined) context.siteUrl = siteUrl;
  return context;
}

const params = (): URLSearchParams => new URLSearchParams(window.location.search);

let cachedContext: ShimContext | undefined;
const frameContext = (): ShimContext => (cachedContext ??= parseShimContext(params().get('context')));

let colorMode: ColorMode = params().get('theme') === 'dark' ? 'dark' : 'light';
let themingEnabled = false;

/** The body the playground's POST /__invoke expects (see test/harness/playground-server.ts). */
function invokeContext(): Record<string, string | undefined> {
  const { accountId, cloudId, moduleKey, siteUrl, extension } = frameContext();
  return {
    accountId,
    cloudId,
    moduleKey,
    siteUrl,
    projectId: extension.project?.id,
    projectKey: extension.project?.key,
    issueId: extension.issue?.id,
    issueKey: extension.issue?.key,
  };
}

async function errorMessageOf(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body: unknown = JSON.parse(text);
    if (isRecord(body) && typeof body.message === 'string') return body.message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.slice(0, 200) || response.statusText;
}

async function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    credentials: 'same-origin',
  });
}

export function invoke<Payload extends InvokePayload, T = InvokeResponse<unknown>>(
  functionKey: string,
  payload: Payload,
  metadata?: InvokeMetadata,
): Promise<InvokeResponse<T>>;
export function invoke<T = InvokeResponse<unknown>>(
  functionKey: string,
  payload?: InvokePayload,
  metadata?: InvokeMetadata,
): Promise<InvokeResponse<T>>;
export async function invoke(
  functionKey: string,
  payload?: InvokePayload,
  _metadata?: InvokeMetadata,
): Promise<unknown> {
  if (typeof functionKey !== 'string') throw new Error('functionKey must be a string!');
  const response = await postJson('/__invoke', {
    functionKey,
    payload: payload ?? {},
    context: invokeContext(),
  });
  if (!response.ok) {
    throw new Error(
      `There was an error invoking the function - ${functionKey}: ${response.status} ${await errorMessageOf(response)}`,
    );
  }
  return (await response.json()) as unknown;
}

async function applyTheme(mode: ColorMode): Promise<void> {
  colorMode = mode;
  await setGlobalTheme({ colorMode: mode, light: 'light', dark: 'dark', spacing: 'spacing' });
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (event.source !== window.parent || !isRecord(event.data)) return;
  const { type, colorMode: mode } = event.data;
  if (type === 'forge-theme' && (mode === 'light' || mode === 'dark') && themingEnabled) {
    applyTheme(mode).catch((error: unknown) => console.error('bridge-shim: theme switch failed', error));
  }
});

async function getContext(): Promise<FullContext> {
  const context = frameContext();
  const moduleKey = context.moduleKey ?? 'unknown-module';
  return {
    ...(context.accountId !== undefined ? { accountId: context.accountId } : {}),
    ...(context.cloudId !== undefined ? { cloudId: context.cloudId } : {}),
    extension: context.extension,
    environmentId: 'local-playground',
    environmentType: 'DEVELOPMENT',
    // Forge's shape: ari:cloud:ecosystem::extension/<appId>/<envId>/static/<moduleKey>
    localId: `ari:cloud:ecosystem::extension/local-app/local-env/static/${moduleKey}`,
    locale: 'en-US',
    moduleKey,
    siteUrl: context.siteUrl ?? window.location.origin,
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    theme: { colorMode },
  };
}

export const view: Pick<typeof forgeView, 'getContext' | 'refresh' | 'close' | 'submit' | 'theme'> = {
  getContext,
  refresh: () => Promise.resolve(),
  close: () => Promise.resolve(),
  submit: () => Promise.resolve(),
  theme: {
    enable: async () => {
      themingEnabled = true;
      await applyTheme(colorMode);
    },
  },
};

function urlOf(location: NavigationArg): string | undefined {
  if (typeof location === 'string') return location;
  switch (location.target) {
    case 'issue':
      return `/browse/${encodeURIComponent(location.issueKey)}`;
    case 'projectSettingsDetails':
      return `/plugins/servlet/project-config/${encodeURIComponent(location.projectKey)}`;
    default:
      return undefined;
  }
}

function postToShell(message: Record<string, unknown>): void {
  if (window.parent !== window) window.parent.postMessage(message, '*');
}

export const router: Pick<typeof forgeRouter, 'open' | 'navigate' | 'reload'> = {
  open: async (location) => {
    const url = urlOf(location);
    if (url === undefined) postToShell({ type: 'forge-navigate', location, newTab: true });
    else window.open(url, '_blank', 'noopener');
  },
  navigate: async (location) => {
    const url = urlOf(location);
    if (url === undefined) {
      postToShell({ type: 'forge-navigate', location, newTab: false });
      return;
    }
    (window.top ?? window).location.href = url;
  },
  reload: async () => {
    window.location.reload();
  },
};

/**
 * Forge sizes Custom UI iframes to their content (iframe-resizer). The shim tells the shell the
 * content height instead: postMessage({type: 'forge-resize', height}) whenever it changes.
 */
function reportHeight(): void {
  if (window.parent === window || typeof ResizeObserver === 'undefined') return;
  let last = 0;
  // html and body are height: 100% (Atlaskit css-reset), so measure the page's own elements.
  const measure = () => {
    const bottoms = Array.from(document.body.children, (el) => el.getBoundingClientRect().bottom);
    const height = Math.ceil(Math.max(0, ...bottoms) + window.scrollY);
    if (height !== last) {
      last = height;
      postToShell({ type: 'forge-resize', height });
    }
  };
  const observer = new ResizeObserver(measure);
  const start = () => {
    for (const element of Array.from(document.body.children)) observer.observe(element);
    measure();
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}
reportHeight();

let flagCounter = 0;

export const showFlag: typeof forgeShowFlag = (options: FlagOptions) => {
  const id = options.id ?? `flag-${++flagCounter}`;
  // Functions cannot cross postMessage: send the action texts only.
  const { actions, type: appearance, ...rest } = options;
  postToShell({
    ...rest,
    type: 'forge-flag',
    appearance: appearance ?? 'info',
    id,
    actions: (actions ?? []).map((action) => action.text),
  });
  return {
    close: async () => {
      postToShell({ type: 'forge-flag-close', id });
      return true;
    },
  };
};

async function setEgress(payload: EgressSetPayload): Promise<EgressSetResponse> {
  const accountId = frameContext().accountId ?? '';
  const response = await postJson(`/__egress?accountId=${encodeURIComponent(accountId)}`, payload);
  if (!response.ok) {
    throw new Error(`Egress approval failed (${response.status}): ${await errorMessageOf(response)}`);
  }
  const body: unknown = await response.json();
  if (isRecord(body) && Array.isArray(body.results))
    return { results: body.results as EgressSetResponse['results'] };
  return { results: [] };
}

export const permissions: { egress: Pick<EgressApi, 'get' | 'set'> } = {
  egress: {
    set: setEgress,
    get: async (): Promise<EgressGetResponse> => ({ results: [] }),
  },
};

/** Compile-time check: the shim's `invoke` is usable wherever the real one is. */
const _invokeMatchesBridge: typeof forgeInvoke = invoke;
void _invokeMatchesBridge;
