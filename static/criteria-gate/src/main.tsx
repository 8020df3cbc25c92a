/** Entry point of the workflow gate's configuration page (manifest resource `criteria-gate-config`). */
import '../../common/src/feature-flags';
import { mountApp } from '../../common/src/render';
import { App } from './App';

mountApp(<App />).catch((error: unknown) =>
  console.error('The workflow gate configuration page failed to start', error),
);
