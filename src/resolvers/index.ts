import Resolver from '@forge/resolver';
import { auditResolvers } from './audit';
import { criteriaResolvers } from './criteria';
import { dataControlResolvers } from './data-controls';
import { generationResolvers } from './generation';
import { issuePanelResolvers } from './issue-panel';
import { livingResolvers } from './living';
import { deliveryResolvers, settingsResolvers, syncResolvers } from './settings';

/** Every resolver, by its name in src/api.ts. */
export const allResolvers = {
  ...settingsResolvers,
  ...deliveryResolvers,
  ...syncResolvers,
  ...issuePanelResolvers,
  ...generationResolvers,
  ...criteriaResolvers,
  ...livingResolvers,
  ...auditResolvers,
  ...dataControlResolvers,
};

/** All resolver functions, registered under the names in src/api.ts. */
export function buildResolver(): Resolver {
  const resolver = new Resolver();
  for (const [name, run] of Object.entries(allResolvers)) {
    resolver.define(name, (request) => run(request));
  }
  return resolver;
}
