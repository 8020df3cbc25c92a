/**
 * The inline preview of the exact `sqai.context/v1` document the app would send, with its size and
 * hash: readable (the requirement, its description as text sections, the tests as tables) or, one
 * click away, the raw pretty-printed JSON; Copy copies the JSON either way.
 */
import { RedactedText } from './preview/Redacted';
import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import Spinner from '@atlaskit/spinner';
import Toggle from '@atlaskit/toggle';
import { token } from '@atlaskit/tokens';
import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { copyText, type CopyOutcome } from '../../common/src/clipboard';
import { ErrorMessageBox } from '../../common/src/ErrorMessageBox';
import { formatSize } from './format';
import { ReadableDocument } from './preview/ReadableDocument';
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

type CopyNote = Exclude<CopyOutcome, null> | 'blocked';

const COPY_TEXT: Record<CopyNote, string> = {
  copied: 'Copied to the clipboard.',
  selected: 'The browser blocked copying: the document is selected — press Ctrl+C (⌘C) to copy it.',
  blocked: 'The browser blocked copying: the raw JSON is shown — press Copy JSON again to select it.',
};

export function PreviewPanel({ preview }: { preview: Exclude<PreviewState, { status: 'closed' }> }) {
  const codeRef = useRef<HTMLPreElement>(null);
  const [copy, setCopy] = useState<CopyNote | null>(null);
  const [raw, setRaw] = useState(false);
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
            <Inline space="space.050" alignBlock="center">
              <Toggle
                id="sqai-preview-raw"
                size="regular"
                isChecked={raw}
                onChange={(event) => setRaw(event.currentTarget.checked)}
                testId="preview-raw-toggle"
              />
              <label htmlFor="sqai-preview-raw">
                <Text size="small">Raw JSON</Text>
              </label>
              <Button
                spacing="compact"
                onClick={() =>
                  void copyText(json, raw ? codeRef.current : null).then((outcome) => {
                    if (outcome === null && !raw) setRaw(true);
                    setCopy(outcome ?? (raw ? null : 'blocked'));
                  })
                }
                testId="copy-preview"
              >
                Copy JSON
              </Button>
            </Inline>
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
        {preview.status === 'open' && !raw ? <ReadableDocument document={preview.preview.document} /> : null}
        {json !== null && raw ? (
          <pre ref={codeRef} style={codeStyle} tabIndex={0} role="region" aria-label="Context document JSON">
            <RedactedText text={json} raw />
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
