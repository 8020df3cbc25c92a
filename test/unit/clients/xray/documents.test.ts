import { parse, validate } from 'graphql';
import { XRAY_DOCUMENTS } from '../../../../src/clients/xray/documents';
import { describeWithContracts, loadXraySchema } from '../../../harness/contracts';

describeWithContracts('Xray GraphQL documents against the Xray Cloud schema', () => {
  it.each(Object.entries(XRAY_DOCUMENTS))('%s is valid', (_name, document) => {
    const errors = validate(loadXraySchema(), parse(document));
    expect(errors.map((error) => error.message)).toEqual([]);
  });

  it('the validator bites on a wrong field', () => {
    const errors = validate(
      loadXraySchema(),
      parse('{ getProjectSettings(projectIdOrKey: "1") { noSuchField } }'),
    );
    expect(errors.length).toBeGreaterThan(0);
  });
});
