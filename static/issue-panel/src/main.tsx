/** Entry point of the issue panel (manifest resource for the `jira:issuePanel` module). */
import '../../common/src/feature-flags';
import { DataProvider } from '../../common/src/data/queryClient';
import { mountApp } from '../../common/src/render';
import { App } from './App';

mountApp(
  <DataProvider>
    <App />
  </DataProvider>,
).catch((error: unknown) => console.error('The SQAI issue panel failed to start', error));
