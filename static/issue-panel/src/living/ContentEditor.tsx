/**
 * "Edit" of an update proposal: the proposed content in an editor of its own kind — the steps as
 * editable rows (action, data, expected result; add and remove steps) or one text area for Gherkin
 * or a definition. "Use this edit" records it as the decision (applied with "Apply decisions").
 */
import Button from '@atlaskit/button/new';
import { ErrorMessage } from '@atlaskit/form';
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import TextArea from '@atlaskit/textarea';
import { token } from '@atlaskit/tokens';
import { useState, type CSSProperties } from 'react';
import type { TestContentDto } from '../../../../src/api';
import { FormField } from '../../../common/src/FormField';
import { stepsOf, textOf, type Step, type StepField } from './diff';
import { stepsEditError } from './model';

const fieldsetStyle: CSSProperties = {
  margin: 0,
  padding: `${token('space.050')} ${token('space.100')} ${token('space.100')}`,
  border: `${token('border.width')} solid ${token('color.border')}`,
  borderRadius: token('radius.small', '3px'),
  minWidth: 0,
};
const legendStyle: CSSProperties = {
  font: token('font.body.small'),
  fontWeight: token('font.weight.semibold'),
  color: token('color.text.subtle'),
  paddingInline: token('space.050'),
};

const FIELD_LABEL: Record<StepField, string> = { action: 'Action', data: 'Data', result: 'Expected result' };

/** DOM ids per test (keys are letters, digits, `_` and `-`). */
const editorId = (testKey: string, part: string) => `sqai-edit-${testKey}-${part}`;

const nullable = (value: string): string | null => (value.trim() === '' ? null : value);

function StepsEditor({
  testKey,
  steps,
  onChange,
}: {
  testKey: string;
  steps: Step[];
  onChange: (steps: Step[]) => void;
}) {
  const set = (index: number, field: StepField, value: string) =>
    onChange(
      steps.map((step, at) =>
        at !== index
          ? step
          : field === 'action'
            ? { ...step, action: value }
            : { ...step, [field]: nullable(value) },
      ),
    );
  return (
    <Stack space="space.100">
      {steps.map((step, index) => (
        <fieldset key={index} style={fieldsetStyle} data-testid="edit-step">
          <legend style={legendStyle}>{`Step ${index + 1}`}</legend>
          <Stack space="space.050">
            {(['action', 'data', 'result'] as const).map((field) => (
              <FormField key={field} id={editorId(testKey, `${index}-${field}`)} label={FIELD_LABEL[field]}>
                {(control) => (
                  <TextArea
                    {...control}
                    value={field === 'action' ? step.action : (step[field] ?? '')}
                    resize="smart"
                    minimumRows={1}
                    onChange={(event) => set(index, field, event.currentTarget.value)}
                  />
                )}
              </FormField>
            ))}
            <div>
              <Button
                appearance="subtle"
                spacing="compact"
                aria-label={`Remove step ${index + 1}`}
                onClick={() => onChange(steps.filter((_, at) => at !== index))}
              >
                Remove step
              </Button>
            </div>
          </Stack>
        </fieldset>
      ))}
      <div>
        <Button
          appearance="default"
          spacing="compact"
          testId="edit-add-step"
          onClick={() => onChange([...steps, { action: '', data: null, result: null }])}
        >
          Add step
        </Button>
      </div>
    </Stack>
  );
}

export interface ContentEditorProps {
  testKey: string;
  /** The content to start from (the proposal, or the reviewer's earlier edit). */
  initial: TestContentDto;
  onSave: (content: TestContentDto) => void;
  onCancel: () => void;
}

export function ContentEditor({ testKey, initial, onSave, onCancel }: ContentEditorProps) {
  const [steps, setSteps] = useState<Step[]>(() => stepsOf(initial));
  const [text, setText] = useState(() => textOf(initial));
  const [error, setError] = useState<string | undefined>(undefined);

  const save = () => {
    if (initial.kind === 'Steps') {
      const problem = stepsEditError(steps);
      setError(problem);
      if (problem) return;
      onSave({ kind: 'Steps', steps });
      return;
    }
    if (text.trim() === '') {
      setError(
        initial.kind === 'Gherkin' ? 'The scenario cannot be empty.' : 'The definition cannot be empty.',
      );
      return;
    }
    setError(undefined);
    onSave(
      initial.kind === 'Gherkin'
        ? { kind: 'Gherkin', gherkin: text }
        : { kind: 'Unstructured', definition: text },
    );
  };

  return (
    <Stack space="space.100" testId="content-editor">
      {initial.kind === 'Steps' ? (
        <StepsEditor testKey={testKey} steps={steps} onChange={setSteps} />
      ) : (
        <FormField
          id={editorId(testKey, 'text')}
          label={initial.kind === 'Gherkin' ? 'Gherkin scenario' : 'Definition'}
        >
          {(control) => (
            <TextArea
              {...control}
              value={text}
              resize="smart"
              minimumRows={4}
              onChange={(event) => setText(event.currentTarget.value)}
            />
          )}
        </FormField>
      )}
      {error ? (
        <div role="alert">
          <ErrorMessage>{error}</ErrorMessage>
        </div>
      ) : null}
      <Inline space="space.100">
        <Button appearance="primary" spacing="compact" testId="edit-save" onClick={save}>
          Use this edit
        </Button>
        <Button appearance="subtle" spacing="compact" onClick={onCancel}>
          Cancel
        </Button>
      </Inline>
    </Stack>
  );
}
