/**
 * `npm start`: builds the Custom UIs for the playground (with @forge/bridge replaced by the local
 * shim) and starts the local playground on 127.0.0.1:${PORT:-8787}.
 *
 *   PORT=9000 npm start             another port
 *   PLAYGROUND_PERSIST=1 npm start   keep settings and secrets in .playground/state.json
 *   PLAYGROUND_TRIGGER_MINUTES=5     run the scheduled triggers every 5 minutes (default 60; 0 = never)
 *   npm start -- --no-build          skip the UI build (already built)
 *   npm start -- --verbose           echo the app's log lines
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../test/harness/contracts';
import { startLocalPlayground } from '../test/harness/playground/playground';
import { manifestTriggers, runTrigger } from '../test/harness/playground/triggers';
import { DEMO } from '../test/harness/world';

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  if (!args.has('--no-build')) {
    const build = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join('scripts', 'build-ui.mts'), '--local-only'],
      {
        cwd: repoRoot,
        stdio: 'inherit',
      },
    );
    if (build.status !== 0) {
      console.error('The Custom UI build failed; see above.');
      process.exit(build.status ?? 1);
    }
  }
  const port = Number(process.env.PORT ?? 8787);
  const persist = process.env.PLAYGROUND_PERSIST === '1';
  const playground = await startLocalPlayground({
    port,
    verbose: args.has('--verbose'),
    ...(persist ? { persistFile: path.join(repoRoot, '.playground', 'state.json') } : {}),
  });
  const minutes = Number(process.env.PLAYGROUND_TRIGGER_MINUTES ?? 60);
  const scheduled = manifestTriggers(path.join(repoRoot, 'manifest.yml')).filter(
    (trigger) => trigger.kind === 'scheduledTrigger',
  );
  if (minutes > 0 && scheduled.length > 0) {
    setInterval(() => {
      for (const trigger of scheduled) {
        void runTrigger(playground.world().platform, trigger, DEMO.cloudId).then((outcome) =>
          console.log(`[trigger] ${trigger.key}: ${outcome.ok ? 'ok' : `failed: ${outcome.error ?? ''}`}`),
        );
      }
    }, minutes * 60_000).unref();
  }

  console.log(`
  SQAI Connector for Xray — local playground
  ──────────────────────────────────────────
  Open ${playground.url}/

    Settings page:  ${playground.url}/projects/DEMO/settings
    Issue view:     ${playground.url}/browse/DEMO-1
    Demo values:    ${playground.url}/__sim/info

  Connect DEMO with Client ID DEMO-CLIENT-ID, Client Secret demo-client-secret-value,
  SQAI endpoint https://api.sqai-suite.com and SQAI API token sqai-demo-token.
  ${persist ? 'State is kept in .playground/state.json.' : 'State lives in memory (PLAYGROUND_PERSIST=1 keeps it).'}
  Press Ctrl+C to stop.
`);
  const stop = () => {
    void playground.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
