/**
 * The panel's requirement sections — acceptance criteria and "Generate tests" — as one lazily loaded
 * chunk. They show together (on requirements) and share most of their code; as two separate lazy
 * chunks the bundler split the panel's up-front code into more files, which cost ~3 KB gzipped of the
 * initial-load budget (measured with `npm run build:ui -- --check-budgets`).
 */
export { CriteriaSection } from './CriteriaSection';
export { GenerateSection } from '../generate/GenerateSection';
