import { auditReportSchema, blockingAdvisories, exceptionsSchema } from '../../../scripts/audit-report';
import exceptions from '../../../audit-exceptions.json';

/** Shaped like `npm audit --omit=dev --json` (npm 10): a direct advisory and one through a dependency. */
const report = auditReportSchema.parse({
  auditReportVersion: 2,
  vulnerabilities: {
    lodash: {
      name: 'lodash',
      severity: 'high',
      isDirect: false,
      via: [
        {
          source: 1106913,
          name: 'lodash',
          dependency: 'lodash',
          title: 'Prototype Pollution in lodash',
          url: 'https://github.com/advisories/GHSA-xxjr-mmjv-4gpg',
          severity: 'high',
          range: '<4.17.23',
        },
        {
          source: 1106914,
          name: 'lodash',
          dependency: 'lodash',
          title: 'Regular expression denial of service',
          url: 'https://github.com/advisories/GHSA-aaaa-bbbb-cccc',
          severity: 'moderate',
          range: '<4.17.21',
        },
      ],
      effects: ['@forge/i18n'],
      range: '<4.17.23',
      nodes: ['node_modules/lodash'],
      fixAvailable: true,
    },
    '@forge/i18n': {
      name: '@forge/i18n',
      severity: 'high',
      isDirect: false,
      via: ['lodash'],
      effects: [],
      range: '*',
      nodes: ['node_modules/@forge/i18n'],
      fixAvailable: true,
    },
  },
  metadata: { vulnerabilities: { high: 2, critical: 0, total: 2 } },
});

describe('audit report', () => {
  it('blocks a high advisory once (not again for the package it comes through), ignores moderate', () => {
    expect(blockingAdvisories(report, new Set())).toEqual([
      'HIGH lodash: Prototype Pollution in lodash (https://github.com/advisories/GHSA-xxjr-mmjv-4gpg)',
    ]);
  });

  it('lets an explained advisory through', () => {
    expect(blockingAdvisories(report, new Set(['GHSA-xxjr-mmjv-4gpg']))).toEqual([]);
  });

  it('the committed exceptions file is valid (each exception has a reason)', () => {
    expect(exceptionsSchema.safeParse(exceptions).success).toBe(true);
    expect(exceptionsSchema.safeParse([{ advisory: 'GHSA-1', package: 'x', why: 'because' }]).success).toBe(
      false,
    );
  });
});
