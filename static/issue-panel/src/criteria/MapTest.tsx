/**
 * "Map a test" under a criterion: a button that opens a small form — pick one of the tests covering
 * the requirement (Atlaskit select: type to filter, Enter picks) or type any test's key — and maps it
 * to the criterion. The server checks the key (a test the caller can see); its refusal shows under
 * the field.
 */
import Button from '@atlaskit/button/new';
import { ErrorMessage, Label } from '@atlaskit/form';
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import Select from '@atlaskit/select';
import Textfield from '@atlaskit/textfield';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { typedTestKey } from './model';

interface TestOption {
  label: string;
  value: string;
}

const OTHER = '\0other';

export interface MapTestProps {
  criterionText: string;
  tests: { key: string; summary?: string }[];
  busy: boolean;
  /** The server's refusal of the last map (shown under the field). */
  serverError: string | undefined;
  /** Resolves true once mapped (the form closes). */
  onMap: (testKey: string) => Promise<boolean>;
  onCancel: () => void;
}

function MapTestForm({ criterionText, tests, busy, serverError, onMap, onCancel }: MapTestProps) {
  const id = useId().replace(/:/g, '');
  const pickId = `sqai-map-test-${id}`;
  const keyId = `sqai-map-key-${id}`;
  const errorId = `sqai-map-error-${id}`;
  const options: TestOption[] = [
    ...tests.map((test) => ({
      label: test.summary ? `${test.key} · ${test.summary}` : test.key,
      value: test.key,
    })),
    { label: 'Other key…', value: OTHER },
  ];
  const [picked, setPicked] = useState<string>(tests.length > 0 ? '' : OTHER);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const shownError = error ?? serverError;
  const typing = picked === OTHER;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    if (!typing) {
      if (!picked) {
        setError('Pick a test, or “Other key…” to type one.');
        document.getElementById(pickId)?.focus();
        return;
      }
      void onMap(picked);
      return;
    }
    const parsed = typedTestKey(typed);
    if ('error' in parsed) {
      setError(parsed.error);
      document.getElementById(keyId)?.focus();
      return;
    }
    setError(undefined);
    void onMap(parsed.key);
  };

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label={`Map a test to “${criterionText.slice(0, 80)}”`}
      data-testid="map-test-form"
    >
      <Stack space="space.100">
        {tests.length > 0 ? (
          <div>
            <Label htmlFor={pickId}>Test</Label>
            <Select<TestOption>
              inputId={pickId}
              aria-describedby={shownError && !typing ? errorId : undefined}
              isDisabled={busy}
              spacing="compact"
              options={options}
              value={options.find((option) => option.value === picked) ?? null}
              placeholder="Choose a test"
              menuPlacement="auto"
              onChange={(option) => {
                if (!option) return;
                setPicked(option.value);
                setError(undefined);
              }}
            />
          </div>
        ) : null}
        {typing ? (
          <div>
            <Label htmlFor={keyId}>Test key</Label>
            <Textfield
              id={keyId}
              isCompact
              isDisabled={busy}
              placeholder="e.g. DEMO-12"
              autoComplete="off"
              aria-describedby={shownError ? errorId : undefined}
              isInvalid={Boolean(shownError)}
              value={typed}
              onChange={(event) => {
                setTyped(event.currentTarget.value);
                setError(undefined);
              }}
            />
          </div>
        ) : null}
        {shownError ? (
          <div id={errorId}>
            <ErrorMessage>{shownError}</ErrorMessage>
          </div>
        ) : null}
        <Inline space="space.100">
          <Button
            type="submit"
            appearance="primary"
            spacing="compact"
            isLoading={busy}
            testId="map-test-submit"
          >
            Map
          </Button>
          <Button appearance="subtle" spacing="compact" isDisabled={busy} onClick={onCancel}>
            Cancel
          </Button>
        </Inline>
      </Stack>
    </form>
  );
}

/** The "Map a test" button, or its form while open (focus moves into it, and back to the button after). */
export function MapTest(props: Omit<MapTestProps, 'onCancel'> & { onClose?: () => void }) {
  const [open, setOpen] = useState(false);
  const wrapRef = useRef<HTMLDivElement>(null);
  const moveFocus = useRef(false);

  useEffect(() => {
    if (!moveFocus.current) return;
    moveFocus.current = false;
    wrapRef.current?.querySelector<HTMLElement>(open ? 'input' : 'button')?.focus();
  }, [open]);

  const toggle = (next: boolean) => {
    moveFocus.current = true;
    setOpen(next);
    if (!next) props.onClose?.();
  };

  return (
    <div ref={wrapRef}>
      {open ? (
        <MapTestForm
          {...props}
          onMap={async (testKey) => {
            const ok = await props.onMap(testKey);
            if (ok) toggle(false);
            return ok;
          }}
          onCancel={() => toggle(false)}
        />
      ) : (
        <Button appearance="subtle" spacing="compact" testId="map-test" onClick={() => toggle(true)}>
          Map a test
        </Button>
      )}
    </div>
  );
}
