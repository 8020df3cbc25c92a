/**
 * The project settings page (jira:projectSettingsPage): header (with the Xray key reminder), connection
 * status + checks, the settings form, the sync status (runs, retries, "Sync all now" backfill), and the
 * SQAI deliveries section (web trigger URL, signing secret). Owns the form model; server state lives in useSettings.
 */
import Heading from '@atlaskit/heading';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import SectionMessage from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import { token } from '@atlaskit/tokens';
import { useCallback, useEffect, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import type { XrayRegion } from '../../../src/api';
import { ErrorMessageBox } from '../../common/src/ErrorMessageBox';
import { withoutErrorsFor } from '../../common/src/fieldErrors';
import { KeyReminderBanner } from '../../common/src/KeyReminderBanner';
import { ConnectionReportView } from './ConnectionReportView';
import { DeliverySettings } from './DeliverySettings';
import { fieldId } from '../../common/src/FormField';
import {
  emptyForm,
  firstInvalidField,
  formFromSettings,
  mapServerFieldErrors,
  toSaveInput,
  validateForm,
  type FieldErrors,
  type FieldName,
  type FormModel,
} from './formModel';
import { SettingsForm } from './SettingsForm';
import { SyncStatusSection } from './sync/SyncStatusSection';
import { useSettings } from './useSettings';

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
  const { load, view, report, busy, dismissSaveOutcome } = settings;
  const [model, setModelState] = useState<FormModel>(emptyForm);
  const modelRef = useRef(model);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const [focusRequest, setFocusRequest] = useState<{ field: FieldName } | null>(null);
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
      dismissSaveOutcome();
      setErrors((current) => withoutErrorsFor(current, Object.keys(patch) as FieldName[]));
    },
    [setModel, dismissSaveOutcome],
  );

  const onFieldError = useCallback((name: FieldName, message: string | undefined) => {
    setErrors((current) => {
      const next = { ...current };
      if (message === undefined) delete next[name];
      else next[name] = message;
      return next;
    });
  }, []);

  const showErrors = useCallback((fieldErrors: FieldErrors, messages: string[]) => {
    setErrors(fieldErrors);
    setFormErrors(messages);
    const first = firstInvalidField(fieldErrors);
    if (first) setFocusRequest({ field: first });
  }, []);

  const save = useCallback(
    async (toSave: FormModel) => {
      if (!view) return;
      const clientErrors = validateForm(toSave, view.secrets);
      // A date the picker could not read stays an error until it is fixed.
      if (errors.keyExpiresOn && !clientErrors.keyExpiresOn) clientErrors.keyExpiresOn = errors.keyExpiresOn;
      if (firstInvalidField(clientErrors)) {
        showErrors(clientErrors, []);
        return;
      }
      showErrors({}, []);
      const result = await settings.save(toSaveInput(toSave));
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
    [view, errors.keyExpiresOn, settings, showErrors, setModel],
  );

  const applyRegion = useCallback(
    (region: XrayRegion) => {
      const next = { ...modelRef.current, region };
      setModel(next);
      void save(next);
    },
    [save, setModel],
  );

  const disconnect = useCallback(async () => {
    const next = await settings.disconnect();
    if (next) {
      setModel(formFromSettings(next.settings));
      showErrors({}, []);
    }
  }, [settings, setModel, showErrors]);

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

  return (
    <main style={pageStyle}>
      <Stack space="space.400">
        <Header
          notice={
            view.keyReminder ? <KeyReminderBanner reminder={view.keyReminder} place="settings" /> : null
          }
        />
        <ConnectionReportView
          configured={configured}
          report={report}
          checking={checking}
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
          saveOutcome={settings.saveOutcome}
          actionError={settings.actionError}
          updatedAt={view.updatedAt}
          updatedBy={view.updatedBy}
          onSubmit={() => void save(modelRef.current)}
          onTest={() => void settings.testConnection()}
          onDisconnect={() => void disconnect()}
        />
        {configured ? <SyncStatusSection reloadKey={view.updatedAt} /> : null}
        <DeliverySettings />
      </Stack>
    </main>
  );
}
