/**
 * While SQAI writes: a spinner and "SQAI is writing tests… (Ns)", counted from when the generation
 * was requested (so a reload keeps counting), and what was asked for. If polling gave up after
 * repeated failures, the error and a "Try again" button.
 */
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import Spinner from '@atlaskit/spinner';
import { useEffect, useState } from 'react';
import type { ErrorDto, GenerationDto } from '../../../../src/api';
import { TryAgainBox } from '../../../common/src/TryAgainBox';
import { elapsedSeconds, testsText, writingText } from './model';

function useSecondsSince(iso: string): number {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  return elapsedSeconds(iso, now);
}

export interface GenerationProgressProps {
  generation: GenerationDto;
  pollError: ErrorDto | null;
  onResume: () => void;
}

export function GenerationProgress({ generation, pollError, onResume }: GenerationProgressProps) {
  const seconds = useSecondsSince(generation.requestedAt);
  const asked = `Up to ${testsText(generation.maxTests)} · ${generation.testTypes.join(', ')}`;
  return (
    <Stack space="space.100" testId="generation-progress">
      <Inline space="space.100" alignBlock="center" role="status">
        <Spinner size="small" label="" />
        <Text weight="medium">{writingText(seconds)}</Text>
      </Inline>
      <Text size="small" color="color.text.subtle">
        {generation.previousContentHash ? `For what changed since the last generation. ${asked}` : asked}
      </Text>
      <Text size="small" color="color.text.subtlest">
        You can leave this page: the generation continues and shows here when you come back.
      </Text>
      {pollError ? (
        <TryAgainBox error={pollError} appearance="warning" onTryAgain={onResume} testId="poll-error" />
      ) : null}
    </Stack>
  );
}
