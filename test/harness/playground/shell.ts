/**
 * The playground's mini Jira: a page list, a project settings page and an issue view, each hosting
 * the app's Custom UI in an iframe the way Jira does, with a switch for the acting user.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { JiraStore, SimIssue, SimProject } from '../jira-sim/store';
import { escapeHtml, renderNode } from './adf-html';

export interface ShellActor {
  id: 'admin' | 'user' | 'member' | 'contributor';
  accountId: string;
  label: string;
}

export interface ShellOptions {
  jira: JiraStore;
  cloudId: string;
  uiDir: string;
  actors: ShellActor[];
  demo: { clientId: string; clientSecret: string; endpoint: string; token: string };
  /** Scheduled/queue module keys the shell can fire. */
  triggers: string[];
}

/**
 * The shell's colours as variables: light, and dark under `<html data-theme="dark">` (the header's
 * Theme switch). The hosted apps follow through the bridge's theme messages, not these.
 */
const STYLE = `
  :root { color-scheme: light; font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, sans-serif;
    --bg: #fff; --text: #172b4d; --subtle: #44546f; --muted: #626f86; --sunken: #f7f8f9; --border: #dcdfe4;
    --accent: #0c66e4; --code: #fff; --lozenge: #dfe1e6; --media: #f1f2f4; --flag: #fff;
    --panel-info: #e9f2ff; --panel-warning: #fff7d6; --panel-error: #ffeceb; --panel-success: #dcfff1; --panel-note: #f3f0ff; }
  :root[data-theme="dark"] { color-scheme: dark;
    --bg: #1d2125; --text: #b6c2cf; --subtle: #9fadbc; --muted: #8c9bab; --sunken: #161a1d; --border: #38414a;
    --accent: #579dff; --code: #22272b; --lozenge: #38414a; --media: #282e33; --flag: #282e33;
    --panel-info: #092957; --panel-warning: #332e1b; --panel-error: #42221f; --panel-success: #1c3329; --panel-note: #2b273f; }
  body { margin: 0; color: var(--text); background: var(--bg); }
  a { color: var(--accent); }
  header { display: flex; align-items: center; gap: 16px; padding: 8px 20px; background: #0c66e4; color: #fff; }
  header a { color: #fff; text-decoration: none; font-weight: 600; }
  header .spacer { flex: 1; }
  header select { font: inherit; padding: 2px 6px; border-radius: 4px; }
  main { display: grid; grid-template-columns: 220px 1fr; min-height: calc(100vh - 44px); }
  nav { background: var(--sunken); padding: 16px; border-right: 1px solid var(--border); font-size: 14px; }
  nav a { display: block; padding: 4px 0; color: var(--subtle); text-decoration: none; }
  nav a.current { color: var(--accent); font-weight: 600; }
  section.page { padding: 20px 28px; max-width: 1200px; }
  .issue { display: grid; grid-template-columns: minmax(0, 1fr) 420px; gap: 24px; }
  .issue h1 { font-size: 24px; margin: 4px 0 16px; }
  .meta { color: var(--muted); font-size: 13px; }
  .panel { border-radius: 4px; padding: 4px 12px; margin: 8px 0; background: var(--panel-info); }
  .panel-warning { background: var(--panel-warning); } .panel-error { background: var(--panel-error); } .panel-success { background: var(--panel-success); } .panel-note { background: var(--panel-note); }
  .mention { background: var(--panel-info); border-radius: 12px; padding: 0 4px; }
  .lozenge { font-size: 11px; font-weight: 700; text-transform: uppercase; background: var(--lozenge); border-radius: 3px; padding: 1px 4px; }
  table { border-collapse: collapse; } th, td { border: 1px solid var(--border); padding: 4px 8px; text-align: left; }
  pre { background: var(--sunken); padding: 8px; overflow: auto; }
  .media-placeholder { display: inline-block; padding: 24px; background: var(--media); border-radius: 4px; }
  iframe.app { width: 100%; border: 1px solid var(--border); border-radius: 4px; height: 640px; background: var(--bg); }
  .demo { background: var(--sunken); border: 1px solid var(--border); border-radius: 4px; padding: 8px 12px; font-size: 13px; margin-bottom: 16px; }
  .demo code { background: var(--code); padding: 1px 4px; border-radius: 3px; }
  .links li { margin: 2px 0; }
  #flags { position: fixed; left: 20px; bottom: 20px; display: flex; flex-direction: column; gap: 8px; }
  .flag { background: var(--flag); box-shadow: 0 4px 12px rgba(9,30,66,.25); border-radius: 4px; padding: 10px 14px; max-width: 360px; }
  button.trigger { font: inherit; padding: 4px 10px; margin: 2px 0; }
`;

export type ShellTheme = 'light' | 'dark';

/** The theme asked for in the page URL (`?theme=dark`); otherwise the shell's script uses the last one chosen. */
export function themeOf(url: URL): ShellTheme | undefined {
  const wanted = url.searchParams.get('theme');
  return wanted === 'dark' || wanted === 'light' ? wanted : undefined;
}

function actorOf(options: ShellOptions, url: URL): ShellActor {
  const wanted = url.searchParams.get('as');
  const fallback = options.actors[0];
  if (!fallback) throw new Error('The shell needs at least one actor');
  return options.actors.find((actor) => actor.id === wanted) ?? fallback;
}

function layout(options: ShellOptions, url: URL, title: string, body: string): string {
  const actor = actorOf(options, url);
  const demo = options.jira.project('DEMO');
  const keep = (href: string) => `${href}${href.includes('?') ? '&' : '?'}as=${actor.id}`;
  const issues = demo
    ? options.jira.issuesOfProject(demo.id).filter((issue) => isRequirementLike(options.jira, issue))
    : [];
  const nav = [
    `<a href="${keep('/')}">All pages</a>`,
    demo
      ? `<a href="${keep(`/projects/${demo.key}/settings`)}" class="${url.pathname.endsWith('/settings') ? 'current' : ''}">⚙ Project settings → Apps → SQAI Connector for Xray</a>`
      : '',
    '<hr>',
    ...issues
      .slice(0, 30)
      .map(
        (issue) =>
          `<a href="${keep(`/browse/${issue.key}`)}" class="${url.pathname === `/browse/${issue.key}` ? 'current' : ''}">${escapeHtml(issue.key)} ${escapeHtml(issue.summary)}</a>`,
      ),
    '<hr>',
    ...options.triggers.map(
      (key) =>
        `<form method="post" action="/__trigger/${escapeHtml(key)}" onsubmit="event.preventDefault(); fetch(this.action,{method:'POST'}).then(r=>r.json()).then(j=>flag('Ran ${escapeHtml(key)}', JSON.stringify(j).slice(0,200)))"><button class="trigger" type="submit">Run ${escapeHtml(key)}</button></form>`,
    ),
  ].join('\n');
  const userSwitch = options.actors
    .map(
      (candidate) =>
        `<option value="${candidate.id}" ${candidate.id === actor.id ? 'selected' : ''}>${escapeHtml(candidate.label)}</option>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en" data-theme="${themeOf(url) ?? 'light'}"><head><meta charset="utf-8"><title>${escapeHtml(title)} — SQAI playground</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><style>${STYLE}</style></head>
<body>
<header><a href="${keep('/')}">Jira (local playground)</a><span>Demo site · cloudId ${escapeHtml(options.cloudId)}</span>
<span class="spacer"></span>
<label>Acting user <select id="acting-user">${userSwitch}</select></label>
<label>Theme <select id="theme-switch"><option value="light">Light</option><option value="dark">Dark</option></select></label>
</header>
<main><nav>${nav}</nav><section class="page">${body}</section></main>
<div id="flags" aria-live="polite"></div>
<script>
function flag(title, description) {
  const el = document.createElement('div'); el.className = 'flag'; el.setAttribute('role', 'status');
  el.innerHTML = '<strong></strong><div></div>';
  el.querySelector('strong').textContent = title; el.querySelector('div').textContent = description || '';
  document.getElementById('flags').appendChild(el); setTimeout(() => el.remove(), 6000);
}
// The theme switch, as Jira's: the shell recolours and tells each app iframe with the bridge's
// postMessage({type: 'forge-theme', colorMode}); a frame not started yet gets it in its URL (?theme=).
const THEME_KEY = 'sqai-playground-theme';
const themeSwitch = document.getElementById('theme-switch');
function storedTheme() {
  try { return localStorage.getItem(THEME_KEY); } catch { return null; }
}
function setTheme(mode) {
  document.documentElement.dataset.theme = mode;
  themeSwitch.value = mode;
  for (const frame of document.querySelectorAll('iframe.app')) {
    frame.dataset.theme = mode;
    if (frame.contentWindow) frame.contentWindow.postMessage({ type: 'forge-theme', colorMode: mode }, location.origin);
  }
}
(function initialTheme() {
  const fromUrl = new URLSearchParams(location.search).get('theme');
  const mode = fromUrl === 'dark' || fromUrl === 'light' ? fromUrl : storedTheme() === 'dark' ? 'dark' : 'light';
  document.documentElement.dataset.theme = mode;
  themeSwitch.value = mode;
  for (const frame of document.querySelectorAll('iframe.app')) {
    frame.dataset.theme = mode;
    const src = new URL(frame.src);
    if (src.searchParams.get('theme') !== mode) { src.searchParams.set('theme', mode); frame.src = src.toString(); }
    // Switched while the app was still starting (before it listens): tell it once it has loaded.
    frame.addEventListener('load', () => {
      if (frame.contentWindow) frame.contentWindow.postMessage({ type: 'forge-theme', colorMode: frame.dataset.theme }, location.origin);
    });
  }
})();
themeSwitch.addEventListener('change', (event) => {
  const mode = event.target.value === 'dark' ? 'dark' : 'light';
  try { localStorage.setItem(THEME_KEY, mode); } catch { /* private mode: this page only */ }
  const here = new window.URL(window.location.href);
  if (here.searchParams.has('theme')) { here.searchParams.set('theme', mode); history.replaceState(null, '', here.toString()); }
  setTheme(mode);
});
document.getElementById('acting-user').addEventListener('change', (event) => {
  const next = new window.URL(window.location.href);
  next.searchParams.set('as', event.target.value);
  window.location.href = next.toString();
});
window.addEventListener('message', (event) => {
  if (event.origin !== location.origin || !event.data) return;
  if (event.data.type === 'forge-flag') flag(event.data.title || '', event.data.description || '');
  if (event.data.type === 'forge-resize' && typeof event.data.height === 'number') {
    for (const frame of document.querySelectorAll('iframe.app')) {
      if (frame.contentWindow === event.source) frame.style.height = Math.max(200, Math.ceil(event.data.height) + 4) + 'px';
    }
  }
});
</script>
</body></html>`;
}

function isRequirementLike(jira: JiraStore, issue: SimIssue): boolean {
  const type = jira.issueTypes.get(issue.issueTypeId)?.name ?? '';
  return ['Story', 'Epic', 'Bug', 'Task'].includes(type);
}

const uiBuilt = (options: ShellOptions, app: string) =>
  existsSync(path.join(options.uiDir, app, 'index.html'));

function frame(
  options: ShellOptions,
  url: URL,
  app: string,
  context: Record<string, unknown>,
  title: string,
): string {
  const notBuilt = uiBuilt(options, app)
    ? ''
    : `<div class="demo">The <strong>${escapeHtml(app)}</strong> UI is not built yet. Run <code>npm run build:ui</code> (npm start does it for you).</div>`;
  const src = `/ui/${app}/index.html?context=${encodeURIComponent(JSON.stringify(context))}&theme=${themeOf(url) ?? 'light'}`;
  return `${notBuilt}<iframe class="app" title="${escapeHtml(title)}" data-app="${escapeHtml(app)}" src="${escapeHtml(src)}"></iframe>`;
}

export function renderIndex(options: ShellOptions, url: URL): string {
  const demo = options.jira.project('DEMO');
  const body = `
  <h1>SQAI Connector for Xray — local playground</h1>
  <p>The real app (its Custom UIs and backend handlers) running against simulated Jira, Xray and SQAI, seeded with the <strong>DEMO</strong> project.</p>
  ${demoBox(options)}
  <ul>
    ${demo ? `<li><a href="/projects/${demo.key}/settings?as=${actorOf(options, url).id}">Project settings → Apps → SQAI Connector for Xray</a> (project admins)</li>` : ''}
    <li><a href="/browse/DEMO-1?as=${actorOf(options, url).id}">DEMO-1</a>: an issue with the SQAI issue panel</li>
    <li><a href="/__sim/info">/__sim/info</a> — demo credentials · <a href="/__sim/requests">/__sim/requests</a> — what the app sent · <a href="/__sim/sqai/contexts">/__sim/sqai/contexts</a> — what SQAI received</li>
  </ul>`;
  return layout(options, url, 'Playground', body);
}

function demoBox(options: ShellOptions): string {
  const { demo } = options;
  return `<div class="demo" data-testid="demo-credentials"><strong>Demo values that connect DEMO:</strong>
  Client ID <code>${escapeHtml(demo.clientId)}</code> · Client Secret <code>${escapeHtml(demo.clientSecret)}</code> · Region Global ·
  SQAI endpoint <code>${escapeHtml(demo.endpoint)}</code> · SQAI API token <code>${escapeHtml(demo.token)}</code></div>`;
}

export function renderSettings(options: ShellOptions, url: URL, project: SimProject): string {
  const actor = actorOf(options, url);
  const context = {
    accountId: actor.accountId,
    cloudId: options.cloudId,
    moduleKey: 'sqai-settings',
    siteUrl: options.jira.siteUrl,
    extension: {
      type: 'jira:projectSettingsPage',
      project: { id: project.id, key: project.key, type: project.projectTypeKey },
    },
  };
  const body = `<p class="meta">${escapeHtml(project.name)} / Project settings / Apps</p>
  ${demoBox(options)}
  ${frame(options, url, 'settings', context, 'SQAI Connector for Xray settings')}`;
  return layout(options, url, `${project.key} settings`, body);
}

export function renderIssue(options: ShellOptions, url: URL, issue: SimIssue, visible: boolean): string {
  const actor = actorOf(options, url);
  const { jira } = options;
  if (!visible) {
    return layout(
      options,
      url,
      issue.key,
      `<h1>You can't view this issue</h1><p>It may have been deleted or you don't have permission to view it (issue security).</p>`,
    );
  }
  const project = jira.projects.get(issue.projectId);
  const type = jira.issueTypes.get(issue.issueTypeId);
  const status = jira.statuses.get(issue.statusId);
  const links = jira
    .linksOf(issue.id)
    .map(
      (view) =>
        `<li>${escapeHtml(view.direction === 'outward' ? view.type.outward : view.type.inward)} <a href="/browse/${escapeHtml(view.other.key)}?as=${actor.id}">${escapeHtml(view.other.key)}</a> ${escapeHtml(view.other.summary)}</li>`,
    )
    .join('');
  const remote = jira
    .remoteLinksOf(issue.id)
    .map(
      (link) =>
        `<li><a href="${escapeHtml(link.object.url)}">${escapeHtml(link.object.title)}</a> (${escapeHtml(link.application?.name ?? 'web')})</li>`,
    )
    .join('');
  const context = {
    accountId: actor.accountId,
    cloudId: options.cloudId,
    moduleKey: 'sqai-issue-panel',
    siteUrl: jira.siteUrl,
    extension: {
      type: 'jira:issuePanel',
      issue: { id: issue.id, key: issue.key, type: type?.name ?? 'Story', typeId: issue.issueTypeId },
      project: project ? { id: project.id, key: project.key, type: project.projectTypeKey } : undefined,
      isNewToIssue: false,
    },
  };
  const body = `<p class="meta">${escapeHtml(project?.name ?? '')} / ${escapeHtml(issue.key)}</p>
  <div class="issue">
    <article>
      <h1 data-testid="issue-summary">${escapeHtml(issue.summary)}</h1>
      <p class="meta">${escapeHtml(type?.name ?? '')} · <span class="lozenge">${escapeHtml(status?.name ?? '')}</span> · labels: ${escapeHtml(issue.labels.join(', ') || 'none')}</p>
      <h3>Workflow</h3>
      <p class="meta">A transition with the app's workflow validator "SQAI: acceptance criteria proven" on it (simulated: Jira runs the validator, then moves the issue or shows its message).</p>
      <p><button type="button" id="transition-gate" data-issue="${escapeHtml(issue.key)}" data-as="${escapeHtml(actor.id)}">Transition to Done (workflow gate)</button>
      <a href="/workflow/validators/sqai-criteria-gate?as=${escapeHtml(actor.id)}">Configure the gate</a></p>
      <p data-testid="transition-result" id="transition-result" role="status" aria-live="polite"></p>
      <script>
      document.getElementById('transition-gate').addEventListener('click', async (event) => {
        const button = event.currentTarget;
        const out = document.getElementById('transition-result');
        out.textContent = 'Transitioning…';
        const response = await fetch('/__transition', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ issueKey: button.dataset.issue, as: button.dataset.as }),
        });
        const answer = await response.json();
        if (answer.moved) out.textContent = 'Transitioned to ' + answer.to + '.';
        else if (answer.status === 'validated') out.textContent = 'Jira refused the transition: ' + (answer.errorMessage || '(no message)');
        else out.textContent = (answer.errorMessages || [answer.message || 'The transition failed']).join(' ');
      });
      </script>
      <h3>Description</h3>
      <div class="description">${issue.description ? renderNode(issue.description) : '<p class="meta">None</p>'}</div>
      <h3>Linked issues</h3><ul class="links">${links || '<li class="meta">None</li>'}</ul>
      <h3>Web links</h3><ul class="links">${remote || '<li class="meta">None</li>'}</ul>
    </article>
    <aside><h3>SQAI</h3>${frame(options, url, 'issue-panel', context, 'SQAI issue panel')}</aside>
  </div>`;
  return layout(options, url, issue.key, body);
}

/**
 * Jira's workflow editor with the app's validator selected: its options page in an iframe (the
 * `create`/`edit` resource, given the saved options as `extension.validatorConfig`), and Jira's own
 * Update button, which asks the page for its configuration (`workflowRules.onConfigure`) and saves it.
 */
export function renderGateEditor(options: ShellOptions, url: URL, saved: string | undefined): string {
  const actor = actorOf(options, url);
  const context = {
    accountId: actor.accountId,
    cloudId: options.cloudId,
    moduleKey: 'sqai-criteria-gate',
    siteUrl: options.jira.siteUrl,
    extension: {
      type: 'jira:workflowValidator',
      isNewEditor: true,
      ...(saved !== undefined ? { validatorConfig: saved, entryPoint: 'edit' } : { entryPoint: 'create' }),
    },
  };
  const body = `<p class="meta">Settings / Work items / Workflows / Demo workflow / Transition "Done" / Rules</p>
  <h1>${saved === undefined ? 'Add' : 'Edit'} rule: SQAI: acceptance criteria proven</h1>
  ${frame(options, url, 'criteria-gate', context, 'SQAI workflow gate options')}
  <p><button type="button" id="gate-update">${saved === undefined ? 'Add' : 'Update'}</button>
  <a href="/browse/DEMO-1?as=${escapeHtml(actor.id)}">Back to DEMO-1</a></p>
  <p data-testid="gate-saved" id="gate-saved" role="status" aria-live="polite"></p>
  <script>
  document.getElementById('gate-update').addEventListener('click', () => {
    const out = document.getElementById('gate-saved');
    const frame = document.querySelector('iframe.app');
    const id = String(Date.now()) + Math.random();
    const onAnswer = async (event) => {
      if (event.source !== frame.contentWindow || !event.data || event.data.type !== 'forge-workflow-configuration' || event.data.id !== id) return;
      window.removeEventListener('message', onAnswer);
      if (event.data.error) { out.textContent = 'Not saved: ' + event.data.error; return; }
      const response = await fetch('/__gate-config', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ configuration: event.data.value }),
      });
      out.textContent = response.ok ? 'Saved: ' + event.data.value : 'Not saved: Jira refused the configuration.';
    };
    window.addEventListener('message', onAnswer);
    frame.contentWindow.postMessage({ type: 'forge-workflow-configure', id }, '*');
  });
  </script>`;
  return layout(options, url, 'Workflow rule', body);
}

export function renderNotFound(options: ShellOptions, url: URL, what: string): string {
  return layout(options, url, 'Not found', `<h1>Not found</h1><p>${escapeHtml(what)}</p>`);
}

export { actorOf };
