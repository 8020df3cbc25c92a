/**
 * The last sync run: its kind, a status lozenge, when it started and finished, the counts (changed,
 * sent, skipped as unchanged, failed) and, if the run itself failed, its message and remedy.
 */
import Heading from '@atlaskit/heading';
import Lozenge from '@atlaskit/lozenge';
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import type { SyncRunDto } from '../../../../src/api';
import { RelativeTime } from '../../../common/src/RelativeTime';
import { durationText, isRunActive, RUN_KIND_TEXT, runCountParts, runStatusBadge } from './format';

function Times({ run }: { run: SyncRunDto }) {
  const took = run.finishedAt ? durationText(run.startedAt, run.finishedAt) : null;
  return (
    <Text size="small" color="color.text.subtle" testId="last-run-times">
      Started <RelativeTime iso={run.startedAt} />
      {run.finishedAt ? (
        <>
          , finished <RelativeTime iso={run.finishedAt} />
          {took ? ` (${took})` : null}
        </>
      ) : isRunActive(run) ? (
        ', still running'
      ) : null}
    </Text>
  );
}

export function LastRun({ run }: { run: SyncRunDto | undefined }) {
  if (!run) {
    return (
      <Stack space="space.100" testId="last-run">
        <Heading size="xsmall" as="h3">
          Last run
        </Heading>
        <Text as="p" size="small" color="color.text.subtle">
          No sync has run yet.
        </Text>
      </Stack>
    );
  }
  const badge = runStatusBadge(run);
  return (
    <Stack space="space.100" testId="last-run">
      <Heading size="xsmall" as="h3">
        Last run
      </Heading>
      <Inline space="space.100" alignBlock="center" shouldWrap>
        <Text weight="medium">{RUN_KIND_TEXT[run.kind]}</Text>
        <Lozenge appearance={badge.appearance} testId="last-run-status">
          {badge.text}
        </Lozenge>
        <Times run={run} />
      </Inline>
      <Inline space="space.100" shouldWrap separator="·" testId="last-run-counts">
        {runCountParts(run).map((part) => (
          <Text
            key={part.key}
            size="small"
            color={part.key === 'failed' && run.failed > 0 ? 'color.text.danger' : 'color.text'}
          >
            {part.text}
          </Text>
        ))}
      </Inline>
      {run.error ? (
        <Stack space="space.025" testId="last-run-error">
          <Text size="small" color="color.text.danger" weight="medium">
            {run.error.message}
          </Text>
          {run.error.remedy ? (
            <Text size="small" color="color.text.subtle">
              {run.error.remedy}
            </Text>
          ) : null}
        </Stack>
      ) : null}
    </Stack>
  );
}
