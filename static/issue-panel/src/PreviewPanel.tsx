/**
 * The inline preview of the exact `sqai.context/v1` document the app would send: pretty-printed
 * JSON in a scrollable monospace block, with its size and hash, and a Copy button.
 */
import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import Spinner from '@atlaskit/spinner';
import { token } from '@atlaskit/tokens';
import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { copyText, type CopyOutcome } from '../../common/src/clipboard';
import { ErrorMessageBox } from '../../common/src/ErrorMessageBox';
import { formatSize } from './format';
import type { PreviewState } from './useIssuePanel';

const panelStyle: CSSProperties = {
  border: `${token('border.width')} solid ${token('color.border')}`,
  borderRadius: token('radius.large'),
  padding: token('space.150'),
};

const codeStyle: CSSProperties = {
  margin: 0,
  maxHeight: 360,
  overflow: 'auto',
  padding: token('space.100'),
  borderRadius: token('radius.small'),
  backgroundColor: token('color.background.neutral'),
  color: token('color.text'),
  font: token('font.code'),
  fontSize: 12,
  lineHeight: 1.5,
  whiteSpace: 'pre',
  tabSize: 2,
};

const COPY_TEXT: Record<Exclude<CopyOutcome, null>, string> = {
  copied: 'Copied to the clipboard.',
  selected: 'The browser blocked copying: the document is selected — press Ctrl+C (⌘C) to copy it.',
};

export function PreviewPanel({ preview }: { preview: Exclude<PreviewState, { status: 'closed' }> }) {
  const codeRef = useRef<HTMLPreElement>(null);
  const [copy, setCopy] = useState<CopyOutcome>(null);
  const json = preview.status === 'open' ? preview.json : null;

  useEffect(() => setCopy(null), [json]);

  return (
    <section
      id="context-preview"
      aria-labelledby="context-preview-heading"
      data-testid="context-preview"
      style={panelStyle}
    >
      <Stack space="space.100">
        <Inline space="space.100" alignBlock="center" spread="space-between" shouldWrap>
          <Stack space="space.025">
            <Heading size="xxsmall" as="h3" id="context-preview-heading">
              Context document
            </Heading>
            {preview.status === 'open' ? (
              <Text size="small" color="color.text.subtlest">
                {`${formatSize(preview.preview.sizeBytes)} · hash ${preview.preview.contentHash.slice(0, 12)}`}
              </Text>
            ) : null}
          </Stack>
          {json !== null ? (
            <Button
              spacing="compact"
              onClick={() => void copyText(json, codeRef.current).then(setCopy)}
              testId="copy-preview"
            >
              Copy
            </Button>
          ) : null}
        </Inline>
        {preview.status === 'loading' ? (
          <Inline space="space.100" alignBlock="center">
            <Spinner size="small" label="" />
            <Text color="color.text.subtle">Building the document…</Text>
          </Inline>
        ) : null}
        {preview.status === 'failed' ? (
          <ErrorMessageBox error={preview.error} testId="preview-error" />
        ) : null}
        {json !== null ? (
          <pre ref={codeRef} style={codeStyle} tabIndex={0} role="region" aria-label="Context document JSON">
            {json}
          </pre>
        ) : null}
        <div aria-live="polite">
          {copy ? (
            <Text size="small" color="color.text.subtle" testId="copy-outcome">
              {COPY_TEXT[copy]}
            </Text>
          ) : null}
        </div>
      </Stack>
    </section>
  );
}
