/** Entry point of the issue panel (manifest resource for the `jira:issuePanel` module). */
import '../../common/src/feature-flags';
import { mountApp } from '../../common/src/render';
import { App } from './App';

mountApp(<App />).catch((error: unknown) => console.error('The SQAI issue panel failed to start', error));
