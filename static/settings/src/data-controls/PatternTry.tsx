/**
 * A custom pattern row's "Try it" and "Remove": asks the backend (checkRedactionPattern) whether the
 * pattern is accepted and what it makes of the sample, and shows the redacted sample or why the
 * pattern is refused, in a live region under the row.
 */
import Button from '@atlaskit/button/new';
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import { token } from '@atlaskit/tokens';
import { useMutation } from '@tanstack/react-query';
import type { CSSProperties } from 'react';
import {
  RESOLVERS,
  type CheckRedactionPatternInput,
  type RedactionPatternCheckDto,
} from '../../../../src/api';
import { ErrorMessageBox } from '../../../common/src/ErrorMessageBox';
import { fetchResolver } from '../../../common/src/resolver';
import { errorDtoOf } from '../../../common/src/result';
import { SectionMessage } from '../../../common/src/SectionMessage';

const sampleStyle: CSSProperties = {
  fontFamily: token('font.family.code'),
  whiteSpace: 'pre-wrap',
  overflowWrap: 'anywhere',
  margin: 0,
  padding: token('space.100'),
  background: token('color.background.neutral'),
  borderRadius: token('radius.small'),
};

/** What one "Try it" asked, and what it answered. */
interface Tried {
  input: CheckRedactionPatternInput;
  check: RedactionPatternCheckDto;
}

/** A name the sample's placeholders can carry (the save checks the full rule). */
const namedLike = (name: string): boolean => /^[a-z0-9-]{1,30}$/.test(name);

export function PatternTry(props: {
  index: number;
  name: string;
  pattern: string;
  sample: string;
  isDisabled: boolean;
  onRemove: () => void;
}) {
  const number = props.index + 1;
  const trying = useMutation({
    mutationFn: async (input: CheckRedactionPatternInput): Promise<Tried> => ({
      input,
      check: await fetchResolver<RedactionPatternCheckDto>(RESOLVERS.checkRedactionPattern, input),
    }),
  });
  const tried = trying.data;
  // An answer about another pattern or sample than the row now shows is not shown.
  const current =
    tried &&
    tried.input.pattern === props.pattern &&
    (tried.input.sample ?? '') === props.sample &&
    (tried.input.name ?? '') === (namedLike(props.name) ? props.name : '')
      ? tried
      : undefined;

  return (
    <Stack space="space.100">
      <Inline space="space.100">
        <Button
          isDisabled={props.isDisabled || props.pattern === ''}
          isLoading={trying.isPending}
          aria-label={`Try it on custom pattern ${number}`}
          testId={`try-pattern-${props.index}`}
          onClick={() =>
            trying.mutate({
              pattern: props.pattern,
              ...(props.sample !== '' ? { sample: props.sample } : {}),
              ...(namedLike(props.name) ? { name: props.name } : {}),
            })
          }
        >
          Try it
        </Button>
        <Button
          appearance="subtle"
          isDisabled={props.isDisabled}
          aria-label={`Remove custom pattern ${number}`}
          testId={`remove-pattern-${props.index}`}
          onClick={props.onRemove}
        >
          Remove
        </Button>
      </Inline>
      <div role="status" data-testid={`try-result-${props.index}`}>
        {trying.isError ? (
          <ErrorMessageBox error={errorDtoOf(trying.error)} testId={`try-error-${props.index}`} />
        ) : current ? (
          <TryResult
            check={current.check}
            sampleGiven={current.input.sample !== undefined}
            name={props.name}
          />
        ) : null}
      </div>
    </Stack>
  );
}

function TryResult(props: { check: RedactionPatternCheckDto; sampleGiven: boolean; name: string }) {
  const { check, sampleGiven } = props;
  if (!check.ok) {
    return (
      <SectionMessage appearance="warning" title="This pattern is refused" testId="pattern-refused">
        <p>{check.problem ?? 'The app cannot use this pattern.'}</p>
      </SectionMessage>
    );
  }
  if (!sampleGiven || check.redactedSample === undefined) {
    return (
      <Text as="p" color="color.text.success" testId="pattern-accepted">
        The pattern is accepted. Enter a sample text to see what it redacts.
      </Text>
    );
  }
  const matches = check.matches ?? 0;
  return (
    <Stack space="space.050" testId="pattern-accepted">
      <Text as="p" color="color.text.success">
        The pattern is accepted: {matches === 1 ? '1 match' : `${matches.toLocaleString('en-US')} matches`} in
        the sample. What would be sent:
      </Text>
      <pre style={sampleStyle} data-testid="redacted-sample">
        {check.redactedSample}
      </pre>
      {!namedLike(props.name) ? (
        <Text as="p" size="small" color="color.text.subtle">
          Here the placeholders read [custom-1], [custom-2]…; once the pattern has a valid name, they carry
          it.
        </Text>
      ) : null}
    </Stack>
  );
}
