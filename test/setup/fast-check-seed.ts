/**
 * Jest setup (unit suite, jest.config.cjs `setupFiles`): one fast-check configuration for every
 * property of the suite, so two runs check the same cases.
 *
 * The seed comes from FC_SEED (test/setup/fast-check-global.ts sets the fixed default and prints it
 * once per run); FC_PATH replays one failing case of a property — run that property alone with
 * `-t`, since a path only means something for the property it came from. `npm run trust` sets
 * FC_SEED to fresh seeds.
 */
import fc from 'fast-check';
import { propertyConfig } from '../harness/property-seed';

fc.configureGlobal(propertyConfig(process.env));
