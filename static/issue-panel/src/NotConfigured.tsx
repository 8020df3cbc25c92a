/** The panel when the project has no SQAI settings yet: a link to them for admins, a pointer for others. */
import Button from '@atlaskit/button/new';
import { SectionMessage } from '../../common/src/SectionMessage';
import { openSettings } from './openSettings';

export interface NotConfiguredProps {
  canConfigure: boolean;
  /** The app's project settings page; undefined when the project key is unknown. */
  settingsUrl: string | undefined;
}

export function NotConfigured({ canConfigure, settingsUrl }: NotConfiguredProps) {
  return (
    <SectionMessage
      appearance="information"
      title="SQAI isn't set up for this project yet."
      testId="not-configured"
    >
      {canConfigure ? (
        <>
          <p>
            Connect this project’s Xray and SQAI accounts on the app’s settings page; then anyone who can see
            an issue can send its testing context to SQAI from here.
          </p>
          {settingsUrl ? (
            <p>
              <Button appearance="primary" onClick={() => openSettings(settingsUrl)} testId="open-settings">
                Open SQAI settings
              </Button>
            </p>
          ) : null}
        </>
      ) : (
        <p>Ask a project admin to connect it.</p>
      )}
    </SectionMessage>
  );
}
