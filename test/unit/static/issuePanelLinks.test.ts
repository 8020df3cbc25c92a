import { appIdsFromLocalId, settingsUrlOf } from '../../../static/issue-panel/src/links';

const APP = '0a1b2c3d-1111-2222-3333-444455556666';
const ENV = '9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff';
const LOCAL_ID = `ari:cloud:ecosystem::extension/${APP}/${ENV}/static/sqai-issue-panel`;

describe('settings link', () => {
  it('derives the app and environment ids from a Custom UI localId', () => {
    expect(appIdsFromLocalId(LOCAL_ID)).toEqual({ appId: APP, envId: ENV });
    expect(appIdsFromLocalId(`${LOCAL_ID}/extra`)).toEqual({ appId: APP, envId: ENV });
  });

  it('does not guess from other shapes', () => {
    for (const localId of [
      undefined,
      '',
      'local-sqai-issue-panel',
      'ari:cloud:ecosystem::app/x',
      'extension/a/b',
    ]) {
      expect(appIdsFromLocalId(localId)).toBeUndefined();
    }
  });

  it("links to the app's project settings page", () => {
    expect(settingsUrlOf('DEMO', { localId: LOCAL_ID })).toBe(
      `/jira/software/projects/DEMO/settings/apps/${APP}/${ENV}`,
    );
  });

  it("falls back to the project's Apps settings when the ids are unknown", () => {
    expect(settingsUrlOf('DEMO', { localId: 'local-sqai-issue-panel' })).toBe(
      '/plugins/servlet/project-config/DEMO/apps',
    );
    expect(settingsUrlOf('DEMO', {})).toBe('/plugins/servlet/project-config/DEMO/apps');
  });
});
