/**
 * "SQAI deliveries": the web trigger SQAI delivers generated tests to (copy its URL into SQAI) and
 * the secret SQAI signs each delivery with. Creating or rotating the secret shows it once.
 */
import Button from '@atlaskit/button/new';
import Lozenge from '@atlaskit/lozenge';
import { Inline } from '@atlaskit/primitives/compiled/inline';
import { Stack } from '@atlaskit/primitives/compiled/stack';
import { Text } from '@atlaskit/primitives/compiled/text';
import { SectionMessage } from '../../common/src/SectionMessage';
import Textfield from '@atlaskit/textfield';
import { token } from '@atlaskit/tokens';
import { useRef, useState, type CSSProperties } from 'react';
import { copyText, type CopyOutcome } from '../../common/src/clipboard';
import { ErrorMessageBox } from '../../common/src/ErrorMessageBox';
import { FormField } from '../../common/src/FormField';
import { Loaded } from '../../common/src/Loaded';
import { Section } from '../../common/src/Section';
import type { DeliverySettingsDto } from '../../../src/api';
import { useDelivery, type DeliveryController } from './useDelivery';

const growStyle: CSSProperties = { flexGrow: 1, minWidth: 0 };
const codeFieldStyle: CSSProperties = { fontFamily: token('font.family.code') };

const URL_ID = 'sqai-delivery-url';
const SECRET_ID = 'sqai-delivery-new-secret';

const COPY_TEXT: Record<Exclude<CopyOutcome, null>, string> = {
  copied: 'Copied to the clipboard.',
  selected: 'The browser blocked copying: the text is selected — press Ctrl+C (⌘C) to copy it.',
};

/** A read-only value with a Copy button (and the outcome announced). */
function CopyField(props: { id: string; label: string; value: string; copyLabel: string; helper?: string }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<CopyOutcome>(null);
  return (
    <FormField id={props.id} label={props.label} helper={props.helper}>
      {(control) => (
        <Stack space="space.050">
          <Inline space="space.100" alignBlock="center">
            <div style={growStyle}>
              <Textfield
                {...control}
                ref={inputRef}
                isReadOnly
                value={props.value}
                autoComplete="off"
                spellCheck={false}
                style={codeFieldStyle}
                onFocus={(event) => event.currentTarget.select()}
              />
            </div>
            <Button onClick={() => void copyText(props.value, inputRef.current).then(setCopy)}>
              {props.copyLabel}
            </Button>
          </Inline>
          <div aria-live="polite">
            {copy ? (
              <Text size="small" color="color.text.subtle">
                {COPY_TEXT[copy]}
              </Text>
            ) : null}
          </div>
        </Stack>
      )}
    </FormField>
  );
}

/** The URL and the secret, once read. */
function DeliveryDetails({
  settings,
  delivery,
}: {
  settings: DeliverySettingsDto;
  delivery: DeliveryController;
}) {
  const secretSet = settings.secret === 'set';
  return (
    <>
      {settings.url ? (
        <CopyField id={URL_ID} label="Web trigger URL" value={settings.url} copyLabel="Copy URL" />
      ) : (
        <SectionMessage appearance="information" testId="delivery-no-url">
          <p>
            The web trigger URL is not available yet: it exists once the app is deployed and installed on this
            site.
          </p>
        </SectionMessage>
      )}

      <Stack space="space.100">
        <Inline space="space.100" alignBlock="center" shouldWrap>
          <Text weight="semibold">Signing secret</Text>
          <Lozenge appearance={secretSet ? 'success' : 'default'} testId="delivery-secret-state">
            {secretSet ? 'Set' : 'Not set'}
          </Lozenge>
        </Inline>
        <Text as="p" size="small" color="color.text.subtle">
          {secretSet
            ? 'Rotating creates a new secret; the old one keeps working for 24 hours, so paste the new one into SQAI within a day. Rotating again within those 24 hours ends the oldest secret at once.'
            : 'Without a secret the app accepts no deliveries. Create one and paste it into SQAI.'}
        </Text>
        <div>
          <Button
            appearance={secretSet ? 'default' : 'primary'}
            isLoading={delivery.rotating}
            onClick={delivery.rotate}
            testId="rotate-secret"
          >
            {secretSet ? 'Rotate secret' : 'Create secret'}
          </Button>
        </div>
      </Stack>

      {delivery.rotateError ? <ErrorMessageBox error={delivery.rotateError} testId="rotate-error" /> : null}

      {delivery.newSecret ? (
        <SectionMessage appearance="warning" title="Your new signing secret" testId="delivery-new-secret">
          <Stack space="space.150">
            <p>Copy it into SQAI now; it will not be shown again.</p>
            <CopyField
              id={SECRET_ID}
              label="New signing secret"
              value={delivery.newSecret}
              copyLabel="Copy secret"
            />
            <div>
              <Button appearance="subtle" onClick={delivery.hideSecret}>
                I’ve copied it
              </Button>
            </div>
          </Stack>
        </SectionMessage>
      ) : null}
    </>
  );
}

export function DeliverySettings() {
  const delivery = useDelivery();
  return (
    <Section title="SQAI deliveries" headingId="sqai-section-deliveries" testId="delivery-settings">
      <Text as="p" color="color.text.subtle">
        SQAI can send the tests it generates for this project straight to the app: paste the web trigger URL
        and the signing secret into SQAI. SQAI signs each delivery with the secret (Standard Webhooks,
        HMAC-SHA256); the app refuses deliveries that are unsigned, wrongly signed or older than 5 minutes,
        and applies a delivery sent twice only once.
      </Text>
      <Loaded
        load={delivery.load}
        loadingText="Loading the delivery settings…"
        onTryAgain={() => void delivery.reload()}
        errorTestId="delivery-error"
      >
        {(settings) => <DeliveryDetails settings={settings} delivery={delivery} />}
      </Loaded>
    </Section>
  );
}
