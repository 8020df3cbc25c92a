/** Entry point of the project settings page (manifest resource `settings-ui`). */
import '../../common/src/feature-flags';
import { mountApp } from '../../common/src/render';
import { App } from './App';

mountApp(<App />).catch((error: unknown) => console.error('The settings page failed to start', error));
