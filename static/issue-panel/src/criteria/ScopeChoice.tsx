/**
 * "Results from: [Latest run | Test Plan DEMO-30 · … | Test Execution DEMO-87 · … ]" above the
 * criteria (issue 18 item 3): whose results the states are computed from. Shown only when the app
 * keeps results of a Test Plan or Test Execution the caller may see (or one was chosen, to go back). An Atlaskit select (already in this chunk for
 * "Map a test"), one compact line that fits a 360 px panel; the note says when the chosen plan's
 * results are not kept and the latest run is shown instead.
 */
import { Label } from '@atlaskit/form';
import Select from '@atlaskit/select';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import type { CriteriaViewDto } from '../../../../src/api';
import { LATEST_RUN, scopeNoteText, scopeOptions, type ScopeOption } from './scope';

const SCOPE_ID = 'sqai-criteria-scope';
const NOTE_ID = 'sqai-criteria-scope-note';

export interface ScopeChoiceProps {
  view: Pick<CriteriaViewDto, 'plans' | 'scope' | 'executions'>;
  /** The chosen scope's value (./scope.ts); absent: the latest run. */
  chosen: string | undefined;
  /** The chosen scope is being read (the view shown is still the previous one). */
  switching: boolean;
  onChoose: (scope: string | undefined) => void;
}

export function ScopeChoice({ view, chosen, switching, onChoose }: ScopeChoiceProps) {
  const options = scopeOptions(view, chosen);
  const note = switching ? undefined : scopeNoteText(view);
  return (
    <Stack space="space.050" testId="criteria-scope">
      <div>
        <Label htmlFor={SCOPE_ID}>Results from</Label>
        <Select<ScopeOption>
          inputId={SCOPE_ID}
          aria-describedby={note ? NOTE_ID : undefined}
          spacing="compact"
          isSearchable={false}
          options={options}
          value={options.find((option) => option.value === (chosen ?? LATEST_RUN)) ?? null}
          menuPlacement="auto"
          onChange={(option) => {
            if (!option) return;
            onChoose(option.value === LATEST_RUN ? undefined : option.value);
          }}
        />
      </div>
      {switching ? (
        <Text as="p" size="small" color="color.text.subtle" testId="criteria-scope-switching">
          Reading the results…
        </Text>
      ) : null}
      {note ? (
        <div id={NOTE_ID}>
          <Text as="p" size="small" color="color.text.warning" testId="criteria-scope-note">
            {note}
          </Text>
        </div>
      ) : null}
    </Stack>
  );
}
