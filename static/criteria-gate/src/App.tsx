/**
 * The workflow gate's configuration page (`create` and `edit` of the `jira:workflowValidator`
 * "SQAI: acceptance criteria proven"): what the transition requires, and what happens to an issue the
 * app has not checked yet. Jira's workflow editor has its own Add / Update button; it calls the
 * function registered with `workflowRules.onConfigure`, which answers the options as a JSON string.
 */
import Heading from '@atlaskit/heading';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import { view } from '@forge/bridge';
import { workflowRules } from '@forge/jira-bridge';
import { useEffect, useRef, useState } from 'react';
import { ChoiceField } from '../../common/src/ChoiceField';
import { SectionMessage } from '../../common/src/SectionMessage';
import {
  DEFAULT_GATE_CONFIG,
  gateConfigJson,
  gateSummaryText,
  readGateConfig,
  type GateConfig,
  type GateRequire,
  type GateWhenUnknown,
} from './gateConfig';

const REQUIRE_CHOICES = [
  { value: 'proven', label: 'Proven: every criterion’s tests passed in their latest run' },
  { value: 'covered', label: 'Covered: every criterion has at least one test' },
] as const satisfies readonly { value: GateRequire; label: string }[];

const UNKNOWN_CHOICES = [
  { value: 'refuse', label: 'Refuse the transition (recommended)' },
  { value: 'allow', label: 'Allow the transition' },
] as const satisfies readonly { value: GateWhenUnknown; label: string }[];

type Loaded = { status: 'loading' } | { status: 'ready'; readable: boolean } | { status: 'failed' };

export function App() {
  const [config, setConfig] = useState<GateConfig>(DEFAULT_GATE_CONFIG);
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  // Jira asks for the configuration when the admin presses its button: answer what is shown then.
  const latest = useRef(config);
  latest.current = config;

  useEffect(() => {
    let cancelled = false;
    view
      .getContext()
      .then((context) => {
        if (cancelled) return;
        const saved = readGateConfig((context.extension as Record<string, unknown>).validatorConfig);
        setConfig(saved.config);
        setLoaded({ status: 'ready', readable: saved.readable });
      })
      .catch((error: unknown) => {
        console.error('Could not read the saved options', error);
        if (!cancelled) setLoaded({ status: 'failed' });
      });
    workflowRules
      .onConfigure(() => Promise.resolve(gateConfigJson(latest.current)))
      .catch((error: unknown) => console.error('Could not register the options with Jira', error));
    return () => {
      cancelled = true;
    };
  }, []);

  return (
    <main style={{ padding: 8 }}>
      <Stack space="space.200">
        <Heading size="small" as="h1">
          SQAI: acceptance criteria proven
        </Heading>
        <Text as="p">
          Stops an issue moving on while its acceptance criteria are not covered or not proven by Xray tests.
          The app decides from the state its sync and issue panel keep current, without calling SQAI.
        </Text>
        {loaded.status === 'ready' && !loaded.readable ? (
          <SectionMessage
            appearance="warning"
            title="The saved options could not be read"
            testId="gate-unreadable"
          >
            The defaults are shown. Update the rule to save these options; until then the validator refuses
            every transition and says the rule is misconfigured.
          </SectionMessage>
        ) : null}
        {loaded.status === 'failed' ? (
          <SectionMessage
            appearance="warning"
            title="The saved options could not be loaded"
            testId="gate-load-failed"
          >
            The defaults are shown. Reload the page to see the saved options before you change them.
          </SectionMessage>
        ) : null}
        <ChoiceField
          id="gate-require"
          label="The transition requires"
          choices={REQUIRE_CHOICES}
          value={config.require}
          onChange={(require) => setConfig((current) => ({ ...current, require }))}
          isDisabled={loaded.status === 'loading'}
        />
        <ChoiceField
          id="gate-when-unknown"
          label="When the app has not checked an issue yet (never sent or synced)"
          choices={UNKNOWN_CHOICES}
          value={config.whenUnknown}
          onChange={(whenUnknown) => setConfig((current) => ({ ...current, whenUnknown }))}
          isDisabled={loaded.status === 'loading'}
          helper="Allowing lets issues through while the app is not set up for their project."
        />
        <Text as="p" testId="gate-summary">
          {gateSummaryText(config)}
        </Text>
      </Stack>
    </main>
  );
}
