/** The words of "What leaves Jira": each source, field and detector, as the settings page names it. */
import type { ContextSource, RedactionKind, RequirementField } from '../../../../src/api';

export const SOURCE_TEXT: Record<ContextSource, { label: string; helper: string }> = {
  description: {
    label: 'Description',
    helper: 'The requirement’s description, as written in Jira.',
  },
  linkedIssues: {
    label: 'Linked issues’ text',
    helper: 'The summary and description of each issue linked to the requirement.',
  },
  confluence: {
    label: 'Confluence page content',
    helper: 'The content of Confluence pages linked from the requirement, read as the user who sends.',
  },
  attachments: {
    label: 'Attachments',
    helper:
      'The requirement’s text attachments (.feature, .md, .txt, .csv, .json, .yaml) and the names of the others.',
  },
  testSteps: {
    label: 'Test steps, Gherkin and definitions',
    helper: 'The steps, Gherkin scenarios and definitions of the Xray tests that cover the requirement.',
  },
  testResults: {
    label: 'Test results',
    helper: 'The latest results of those tests in Xray test runs.',
  },
  peopleNames: {
    label: 'People’s names',
    helper: 'The names of the people on the requirement and its tests (reporter, assignee, who ran a test).',
  },
};

export const FIELD_LABELS: Record<RequirementField, string> = {
  status: 'Status',
  priority: 'Priority',
  labels: 'Labels',
  components: 'Components',
  fixVersions: 'Fix versions',
  dates: 'Dates (created, updated, due)',
  url: 'Link to the issue in Jira',
};

export const DETECTOR_TEXT: Record<RedactionKind, { label: string; example: string }> = {
  email: { label: 'Email addresses', example: 'jane.doe@example.com' },
  phone: { label: 'Phone numbers', example: '+44 20 7946 0958' },
  paymentCard: { label: 'Payment card numbers (passing the Luhn check)', example: '4111 1111 1111 1111' },
  iban: { label: 'IBANs', example: 'DE89 3704 0044 0532 0130 00' },
  ipAddress: { label: 'IP addresses', example: '192.168.10.24, 2001:db8::1' },
  token: { label: 'Access tokens and API keys', example: 'JWTs (eyJ…), ghp_…, AKIA…' },
};

export const DATA_CONTROLS_HELP = {
  intro:
    'Choose what the app may send to SQAI for this project. A requirement’s Preview shows exactly the document that will be sent; changes apply from the next send.',
  sources: 'Turn a source off to keep it in Jira.',
  fields: 'The requirement’s fields that may be sent. Its key and summary are always sent.',
  detectors:
    'Matches are replaced before anything is hashed or sent, by numbered placeholders such as [email-1] (the same value gets the same placeholder in one document).',
  customPatterns:
    'Your own JavaScript regular expressions, e.g. CUST-[0-9]{6}; matches become [name-1], [name-2]… A pattern that could hang or matches empty text is refused.',
  sample: 'Text to try the patterns on. It is not stored.',
  retention: 'Entries older than this are removed (1 to 365 days).',
} as const;
