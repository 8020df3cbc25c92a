/**
 * `npm start` works from a checkout: the playground starts as a child process (the way a newcomer
 * runs it), prints its URL, and serves the shell, the built settings page and the simulators.
 * It runs the same command `npm start` runs, including the playground build of the Custom UIs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { browserMissingReason, launchChromium } from './browser';
import path from 'node:path';
import { repoRoot } from '../harness/contracts';
import { invokeAsDemoAdmin } from './playground';

function waitForUrl(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`No URL printed within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${String(code)}:\n${output}`));
    });
  });
}

describe('npm start', () => {
  let child: ChildProcess | undefined;

  afterEach(() => {
    child?.kill('SIGTERM');
  });

  it('starts the playground, prints its URL and serves the shell, the UI and the simulators', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', path.join('scripts', 'start.ts')], {
      cwd: repoRoot,
      env: { ...process.env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await waitForUrl(child, 50_000);

    const index = await fetch(`${url}/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('Project settings');

    const settings = await (await fetch(`${url}/projects/DEMO/settings`)).text();
    expect(settings).toMatch(/<iframe class="app"[^>]+src="\/ui\/settings\/index\.html\?context=/);

    const ui = await fetch(`${url}/ui/settings/index.html`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('<div id="root">');

    const info = (await (await fetch(`${url}/__sim/info`)).json()) as {
      xray: { clientId: string };
      sqai: { endpoint: string };
    };
    expect(info.xray.clientId).toBe('DEMO-CLIENT-ID');
    expect(info.sqai.endpoint).toBe('https://api.sqai-suite.com');

    expect(await invokeAsDemoAdmin(url, 'getSettings')).toMatchObject({
      ok: true,
      data: { project: { key: 'DEMO' }, settings: null },
    });

    // The UI it built runs: both apps render in a browser (a development-JSX build under jest's
    // NODE_ENV=test once left every page blank), with no page error.
    if (browserMissingReason() !== undefined) return;
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${url}/projects/DEMO/settings?as=admin`);
      await page.frameLocator('iframe.app').getByLabel('Client ID').waitFor();
      await page.goto(`${url}/browse/DEMO-1?as=admin`);
      await page.frameLocator('iframe.app').getByRole('button', { name: 'Open SQAI settings' }).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
