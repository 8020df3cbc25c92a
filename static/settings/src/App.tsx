/**
 * The project settings page (jira:projectSettingsPage): header (with the Xray key reminder), connection
 * status + checks, the settings form, the sync status (runs, retries, "Sync all now"), and the
 * acceptance criteria across the project (ranked requirements), and the SQAI deliveries section (web
 * trigger URL, signing secret). Owns the form model; server state lives in useSettings.
 */
import Heading from '@atlaskit/heading';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import { SectionMessage } from '../../common/src/SectionMessage';
import Spinner from '@atlaskit/spinner';
import { token } from '@atlaskit/tokens';
import {
  lazy,
  Suspense,
  useCallback,
  useEffect,
  useRef,
  useState,
  type CSSProperties,
  type ReactNode,
} from 'react';
import type { XrayRegion } from '../../../src/api';
import { ErrorMessageBox } from '../../common/src/ErrorMessageBox';
import { withFieldError, withoutErrorsFor } from '../../common/src/fieldErrors';
import { KeyReminderBanner } from '../../common/src/KeyReminderBanner';
import { keyStillAccepted } from './connection';
import { ConnectionReportView } from './ConnectionReportView';
import { fieldId } from '../../common/src/FormField';
import {
  emptyForm,
  firstInvalidField,
  formFromSettings,
  hasUnsavedEdits,
  mapServerFieldErrors,
  toSaveInput,
  validateForm,
  type FieldErrors,
  type FieldName,
  type FormModel,
} from './formModel';
import { SettingsForm } from './SettingsForm';
import { useSettings } from './useSettings';
import { LoadingLine } from '../../common/src/LoadingLine';

// Below the form and needed only once the page is up: loaded after its first paint (issue 16 item 14).
const SyncStatusSection = lazy(() =>
  import('./sync/SyncStatusSection').then((module) => ({ default: module.SyncStatusSection })),
);
const DeliverySettings = lazy(() =>
  import('./DeliverySettings').then((module) => ({ default: module.DeliverySettings })),
);
const AuditTrailSection = lazy(() =>
  import('./audit/AuditTrailSection').then((module) => ({ default: module.AuditTrailSection })),
);
const ProjectCriteriaSection = lazy(() =>
  import('./criteria/ProjectCriteriaSection').then((module) => ({ default: module.ProjectCriteriaSection })),
);

const pageStyle: CSSProperties = { maxWidth: 760, padding: token('space.300') };
const centerStyle: CSSProperties = { padding: token('space.400') };

/** The page title and introduction; `notice` (the key reminder) sits right under the title. */
function Header({ notice }: { notice?: ReactNode }) {
  return (
    <Stack space="space.100">
      <Heading size="large" as="h1">
        SQAI Connector for Xray
      </Heading>
      {notice}
      <Text as="p" color="color.text.subtle">
        Connect this project’s Xray Test Management to SQAI Suite. With an Xray API key and an SQAI API token,
        the app gives SQAI the full testing context of each requirement — linked issues, Xray tests with their
        steps, test sets, executions and latest results — and turns the tests SQAI generates into real, linked
        Xray tests. Secrets are stored in Forge secret storage and never shown again.
      </Text>
    </Stack>
  );
}

export function App() {
  const settings = useSettings();
  const { load, view, report, busy, dismissResult } = settings;
  const [model, setModelState] = useState<FormModel>(emptyForm);
  const modelRef = useRef(model);
  const [errors, setErrors] = useState<FieldErrors>({});
  /** Errors of input a control could not read (reported by the control, not found by validateForm). */
  const [inputErrors, setInputErrors] = useState<FieldErrors>({});
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const [focusRequest, setFocusRequest] = useState<{ field: FieldName } | null>(null);
  /** Bumped when the result beside the form's buttons should take the focus (see SettingsForm). */
  const [focusResult, setFocusResult] = useState(0);
  const requestResultFocus = useCallback(() => setFocusResult((count) => count + 1), []);
  const initialised = useRef(false);

  const setModel = useCallback((next: FormModel) => {
    modelRef.current = next;
    setModelState(next);
  }, []);

  // Fill the form once, from the first view that arrives.
  useEffect(() => {
    if (view && !initialised.current) {
      initialised.current = true;
      setModel(formFromSettings(view.settings));
    }
  }, [view, setModel]);

  // Move focus to the first invalid field after the errors have rendered.
  useEffect(() => {
    if (!focusRequest) return;
    document.getElementById(fieldId(focusRequest.field))?.focus();
  }, [focusRequest]);

  const onChange = useCallback(
    (patch: Partial<FormModel>) => {
      setModel({ ...modelRef.current, ...patch });
      // "Settings saved" no longer describes the form once it is edited again.
      dismissResult();
      setErrors((current) => withoutErrorsFor(current, Object.keys(patch) as FieldName[]));
    },
    [setModel, dismissResult],
  );

  const onFieldError = useCallback((name: FieldName, message: string | undefined) => {
    setInputErrors((current) => withFieldError(current, name, message));
    setErrors((current) => withFieldError(current, name, message));
  }, []);

  const showErrors = useCallback((fieldErrors: FieldErrors, messages: string[]) => {
    setErrors(fieldErrors);
    setFormErrors(messages);
    const first = firstInvalidField(fieldErrors);
    if (first) setFocusRequest({ field: first });
  }, []);

  const save = useCallback(
    async (toSave: FormModel, from: 'form' | 'connection' = 'form') => {
      if (!view) return;
      const clientErrors = validateForm(toSave, view.secrets);
      // Input a control could not read (a typed date that is no date) stays an error until it is
      // fixed: the model holds the last good value, so validateForm alone would not see it.
      for (const [name, message] of Object.entries(inputErrors) as [FieldName, string | undefined][]) {
        if (message && !clientErrors[name]) clientErrors[name] = message;
      }
      // Nothing is sent while any field shows an error.
      if (firstInvalidField(clientErrors)) {
        showErrors(clientErrors, []);
        return;
      }
      showErrors({}, []);
      const result = await settings.save(toSaveInput(toSave));
      if (from === 'form') requestResultFocus();
      if (result.ok) {
        // Secrets leave the page's state as soon as they are stored.
        setModel(formFromSettings(result.data.view.settings));
      } else if (result.error.code === 'VALIDATION') {
        const mapped = mapServerFieldErrors(result.error.fieldErrors);
        const messages =
          mapped.form.length > 0 || firstInvalidField(mapped.fields)
            ? mapped.form
            : [`${result.error.message} ${result.error.remedy}`];
        showErrors(mapped.fields, messages);
      }
    },
    [view, inputErrors, settings, showErrors, setModel, requestResultFocus],
  );

  const applyRegion = useCallback(
    (region: XrayRegion) => {
      const next = { ...modelRef.current, region };
      setModel(next);
      void save(next, 'connection');
    },
    [save, setModel],
  );

  const disconnect = useCallback(async () => {
    const next = await settings.disconnect();
    if (next) {
      setModel(formFromSettings(next.settings));
      showErrors({}, []);
      setInputErrors({});
    }
    requestResultFocus();
  }, [settings, setModel, showErrors, requestResultFocus]);

  const testConnection = useCallback(async () => {
    await settings.testConnection();
    requestResultFocus();
  }, [settings, requestResultFocus]);

  if (load.status === 'loading') {
    return (
      <main style={pageStyle}>
        <Stack space="space.300">
          <Header />
          <div style={centerStyle}>
            <Spinner size="large" label="Loading the settings" testId="settings-loading" />
          </div>
        </Stack>
      </main>
    );
  }

  if (load.status === 'forbidden') {
    return (
      <main style={pageStyle}>
        <Stack space="space.300">
          <Header />
          <SectionMessage
            appearance="warning"
            title="Only administrators of this project can change these settings"
            testId="forbidden"
          >
            <p>
              The SQAI Connector’s Xray and SQAI settings hold API keys, so only project admins can see or
              change them. Ask a project admin (or a Jira admin) to connect the project, or to make you an
              administrator of it.
            </p>
          </SectionMessage>
        </Stack>
      </main>
    );
  }

  if (load.status === 'failed' || !view) {
    const error =
      load.status === 'failed'
        ? load.error
        : { message: 'The settings could not be loaded.', remedy: 'Reload the page and try again.' };
    return (
      <main style={pageStyle}>
        <Stack space="space.300">
          <Header />
          <ErrorMessageBox error={error} testId="load-error" />
        </Stack>
      </main>
    );
  }

  const configured = view.settings !== null;
  const checking = busy === 'saving' || busy === 'testing' || busy === 'approving';
  // The shown check was made with the stored settings: once the form differs, it is out of date.
  const unsavedEdits = hasUnsavedEdits(model, view.settings);
  // A passed expiry date while Xray still authenticates the key: the Connection check says that
  // (true) wording, so the banner's "expired" does not contradict it at the top of the page.
  const reminder =
    view.keyReminder && !(view.keyReminder.status === 'expired' && keyStillAccepted(report))
      ? view.keyReminder
      : undefined;

  return (
    <main style={pageStyle}>
      <Stack space="space.400">
        <Header notice={reminder ? <KeyReminderBanner reminder={reminder} place="settings" /> : null} />
        <ConnectionReportView
          configured={configured}
          report={report}
          checking={checking}
          stale={unsavedEdits}
          isDisabled={busy !== null}
          approving={busy === 'approving'}
          sqaiEgress={view.sqaiEgress}
          egressOutcome={settings.egressOutcome}
          onUseRegion={applyRegion}
          onApproveHost={(host) => void settings.approveEgress(host)}
        />
        <SettingsForm
          model={model}
          onChange={onChange}
          errors={errors}
          formErrors={formErrors}
          onFieldError={onFieldError}
          secrets={view.secrets}
          configured={configured}
          projectKey={view.project.key}
          busy={busy}
          result={settings.result}
          focusResult={focusResult}
          actionError={settings.actionError}
          updatedAt={view.updatedAt}
          updatedBy={view.updatedBy}
          people={view.people}
          onSubmit={() => void save(modelRef.current)}
          onTest={() => void testConnection()}
          onDisconnect={() => void disconnect()}
        />
        <Suspense fallback={<LoadingLine text="Loading the sync status and deliveries…" />}>
          {configured ? <SyncStatusSection reloadKey={view.updatedAt} /> : null}
          {configured ? <ProjectCriteriaSection reloadKey={view.updatedAt} /> : null}
          <DeliverySettings />
          {/* Issue 20: every document sent and delivery received (lazy: off the initial load). */}
          {configured ? <AuditTrailSection people={view.people} /> : null}
        </Suspense>
      </Stack>
    </main>
  );
}
