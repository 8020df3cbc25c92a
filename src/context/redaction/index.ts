/** Redaction of context documents before hashing and sending (docs/data-controls.md "Redaction"). */
export {
  CUSTOM_PATTERN_NAME,
  customPatternNameProblem,
  customPatternSchema,
  defaultRedactionPolicy,
  MAX_CUSTOM_PATTERN_CHARS,
  MAX_CUSTOM_PATTERNS,
  redactionPolicyHash,
  redactionPolicySchema,
  type RedactionPolicy,
} from './policy';
export { checkCustomPattern, MAX_SAMPLE_CHARS } from './custom-pattern';
export {
  createRedactor,
  PLACEHOLDER,
  redactDocumentStrings,
  type Redactor,
  type RedactorOptions,
} from './redactor';
export { DETECTORS, PHONE_DEFAULT_COUNTRIES, type Span } from './detectors';
