/**
 * "What leaves Jira" on the settings page (project admins): "Try it" on a custom redaction pattern —
 * whether the app accepts it (it cannot hang the redactor), and what it redacts in a sample. Nothing
 * is stored; the data controls themselves are saved with the settings (`saveSettings`).
 */
import { RESOLVERS, type CheckRedactionPatternInput, type RedactionPatternCheckDto } from '../api';
import { checkRedactionPatternInputSchema } from '../config/schema';
import { checkCustomPattern } from '../context/redaction';
import { defineResolver, projectAdmin } from './define';

/**
 * `checkCustomPattern` proves a pattern safe before it runs on any text, the sample included: a
 * pattern that could hang never meets the admin's text.
 */
function tryPattern(input: CheckRedactionPatternInput): RedactionPatternCheckDto {
  return checkCustomPattern(input.pattern, input.sample, input.name);
}

export const dataControlResolvers = {
  [RESOLVERS.checkRedactionPattern]: defineResolver(
    RESOLVERS.checkRedactionPattern,
    { access: projectAdmin, payload: checkRedactionPatternInputSchema },
    async (_ctx, input): Promise<RedactionPatternCheckDto> => Promise.resolve(tryPattern(input)),
  ),
};
