/**
 * The workflow gate's configuration page (`create` and `edit` of the `jira:workflowValidator`
 * "SQAI: acceptance criteria proven"): what the transition requires — with `proven`, optionally in one
 * Test Plan's runs — and what happens to an issue the app has not checked yet. Jira's workflow editor
 * has its own Add / Update button; it calls the function registered with `workflowRules.onConfigure`,
 * which answers the options as a JSON string, or `undefined` (Jira then refuses the form) while the
 * Test Plan field holds something that is not an issue key.
 */
import Heading from '@atlaskit/heading';
import Textfield from '@atlaskit/textfield';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import { view } from '@forge/bridge';
import { workflowRules } from '@forge/jira-bridge';
import { useEffect, useRef, useState } from 'react';
import { ChoiceField } from '../../common/src/ChoiceField';
import { FormField } from '../../common/src/FormField';
import { SectionMessage } from '../../common/src/SectionMessage';
import {
  DEFAULT_GATE_CONFIG,
  gateConfigJson,
  gateSummaryText,
  readGateConfig,
  typedPlanKey,
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

/** What Jira's button saves: the options with the typed plan, or `undefined` when it is not a key. */
function configToSave(config: GateConfig, typedPlan: string): string | undefined {
  if (config.require !== 'proven') return gateConfigJson(config);
  const plan = typedPlanKey(typedPlan);
  if ('error' in plan) return undefined;
  const { testPlanKey: _old, ...rest } = config;
  return gateConfigJson(plan.key ? { ...rest, testPlanKey: plan.key } : rest);
}

export function App() {
  const [config, setConfig] = useState<GateConfig>(DEFAULT_GATE_CONFIG);
  const [typedPlan, setTypedPlan] = useState('');
  const [showPlanError, setShowPlanError] = useState(false);
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  // Jira asks for the configuration when the admin presses its button: answer what is shown then.
  const latest = useRef({ config, typedPlan });
  latest.current = { config, typedPlan };
  const plan = typedPlanKey(typedPlan);
  const planError = showPlanError && 'error' in plan ? plan.error : undefined;
  const shown: GateConfig = 'key' in plan && plan.key ? { ...config, testPlanKey: plan.key } : config;

  useEffect(() => {
    let cancelled = false;
    view
      .getContext()
      .then((context) => {
        if (cancelled) return;
        const saved = readGateConfig((context.extension as Record<string, unknown>).validatorConfig);
        setConfig(saved.config);
        setTypedPlan(saved.config.testPlanKey ?? '');
        setLoaded({ status: 'ready', readable: saved.readable });
      })
      .catch((error: unknown) => {
        console.error('Could not read the saved options', error);
        if (!cancelled) setLoaded({ status: 'failed' });
      });
    workflowRules
      .onConfigure(() => {
        const saved = configToSave(latest.current.config, latest.current.typedPlan);
        if (saved === undefined) setShowPlanError(true);
        // `undefined` refuses the form (docs/forge-fidelity.md rule 18a); the type says string only.
        return Promise.resolve(saved as string);
      })
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
        {config.require === 'proven' ? (
          <FormField
            id="gate-test-plan"
            label="Test Plan (optional)"
            error={planError}
            helper="Only this Test Plan’s runs count, e.g. DEMO-30. Leave empty to use each test’s latest run overall. The app keeps the results of the newest 4 Test Plans a requirement’s tests are in; a plan it keeps none for counts as not run."
          >
            {(control) => (
              <Textfield
                {...control}
                name="testPlanKey"
                placeholder="e.g. DEMO-30"
                autoComplete="off"
                isDisabled={loaded.status === 'loading'}
                value={typedPlan}
                onChange={(event) => {
                  setTypedPlan(event.currentTarget.value);
                  setShowPlanError(false);
                }}
                onBlur={() => setShowPlanError(true)}
              />
            )}
          </FormField>
        ) : null}
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
          {gateSummaryText(shown)}
        </Text>
      </Stack>
    </main>
  );
}
