/**
 * A local stand-in for `@forge/jira-bridge`, swapped in by `npm run build:ui` for the playground
 * build (like ./bridge-shim.ts for `@forge/bridge`). Implements what the app uses, with the real
 * package's signature:
 *
 *   workflowRules.onConfigure(fn)   keeps `fn`; the playground's workflow editor page asks for the
 *                                   configuration with postMessage({type: 'forge-workflow-configure', id})
 *                                   and gets back {type: 'forge-workflow-configuration', id, value | error}
 *
 * As in Jira, `fn` must answer a JSON string; the editor page stores it as the validator's
 * configuration (POST /__gate-config), which the simulated transition then passes to the validator.
 */
import type { workflowRules as forgeWorkflowRules } from '@forge/jira-bridge';

type OnConfigure = Parameters<(typeof forgeWorkflowRules)['onConfigure']>[0];

let registered: OnConfigure | undefined;

const isConfigureRequest = (data: unknown): data is { type: 'forge-workflow-configure'; id: string } =>
  typeof data === 'object' &&
  data !== null &&
  (data as { type?: unknown }).type === 'forge-workflow-configure' &&
  typeof (data as { id?: unknown }).id === 'string';

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (event.source !== window.parent || !isConfigureRequest(event.data)) return;
  const { id } = event.data;
  const answer = (body: { value?: string; error?: string }) =>
    window.parent.postMessage({ type: 'forge-workflow-configuration', id, ...body }, '*');
  if (!registered) {
    answer({ error: 'The page registered no workflowRules.onConfigure callback.' });
    return;
  }
  Promise.resolve(registered())
    .then((value: unknown) =>
      typeof value === 'string'
        ? answer({ value })
        : answer({ error: 'workflowRules.onConfigure callback did not answer a JSON string.' }),
    )
    .catch((error: unknown) => answer({ error: error instanceof Error ? error.message : String(error) }));
});

export const workflowRules: typeof forgeWorkflowRules = {
  onConfigure(onConfigureFn: OnConfigure): Promise<void> {
    registered = onConfigureFn;
    return Promise.resolve();
  },
};
