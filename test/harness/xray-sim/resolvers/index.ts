/**
 * The resolver map (Query, Mutation and the object types) and the one field resolver graphql-js
 * runs with: a modelled field goes to its resolver; anything else the SDL has reads the source's
 * property and falls back to null, so an unmodelled field never crashes a request. Unmodelled
 * mutations answer an explicit error instead of pretending to succeed.
 */
import { defaultFieldResolver, type GraphQLFieldResolver } from 'graphql';
import { XrayError } from '../errors';
import type { ResolverContext, ResolverMap } from './context';
import { entityResolvers } from './entities';
import { mutationResolvers } from './mutations';
import { queryResolvers } from './queries';

export const RESOLVERS: ResolverMap = {
  Query: queryResolvers,
  Mutation: mutationResolvers,
  ...entityResolvers,
};

export const fieldResolver: GraphQLFieldResolver<unknown, ResolverContext> = (
  source,
  args: Record<string, unknown>,
  ctx,
  info,
) => {
  const resolve = RESOLVERS[info.parentType.name]?.[info.fieldName];
  if (resolve) return resolve(source, args, ctx);
  if (info.parentType.name === 'Mutation') {
    throw new XrayError(`The Xray simulator does not implement the mutation "${info.fieldName}".`);
  }
  if (source === null || source === undefined) return null;
  const value: unknown = defaultFieldResolver(source, args, ctx, info);
  return value ?? null;
};

export { IssueRef, RunRef, type ResolverContext } from './context';
