/** Entry point of the project settings page (manifest resource `settings-ui`). */
import '../../common/src/feature-flags';
import { DataProvider } from '../../common/src/data/queryClient';
import { mountApp } from '../../common/src/render';
import { App } from './App';

mountApp(
  <DataProvider>
    <App />
  </DataProvider>,
).catch((error: unknown) => console.error('The settings page failed to start', error));
