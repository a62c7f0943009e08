import { createStixValidator, formatIssues, type ValidationOptions } from './validator';

const validator = createStixValidator();
const standard: ValidationOptions = { policy: 'standard', acceptStix20: false };
const T = '2020-01-01T00:00:00.000Z';
const identity = { type: 'identity', spec_version: '2.1', id: 'identity--7db68b55-128a-4e8f-b41a-ec755a582b4a', created: T, modified: T, name: 'ACME' };

describe('validator', () => {
  it('accepts a valid object without issues', () => {
    expect(validator.validate(identity, standard)).toEqual({ valid: true, errors: [], warnings: [], specVersion: '2.1' });
  });

  it('names rule, path and values in the documented message form', () => {
    const indicator = {
      type: 'indicator', spec_version: '2.1', id: 'indicator--00feaba9-3da4-4485-b490-5f5085aae552', created: T, modified: T,
      pattern: "[file:name = 'a']", pattern_type: 'stix', valid_from: '2020-06-01T00:00:00Z', valid_until: '2020-01-01T00:00:00Z',
    };
    expect(validator.validate(indicator, standard).errors).toEqual([
      { rule: 'valid-until-after-valid-from', path: '/valid_until', message: '/valid_until must be later than /valid_from (2020-01-01T00:00:00Z <= 2020-06-01T00:00:00Z)' },
    ]);
  });

  it('checks a custom type declared new-sdo as an SDO, even without created/modified', () => {
    const ext = 'extension-definition--a932fcc6-e032-476c-826f-cb970a5a1ade';
    const declared = (extension_type: string) => ({ type: 'x-acme-thing', spec_version: '2.1', id: 'x-acme-thing--7db68b55-128a-4e8f-b41a-ec755a582b4a', extensions: { [ext]: { extension_type } } });
    const sdo = validator.validate(declared('new-sdo'), standard);
    expect(sdo.valid).toBe(false);
    expect(sdo.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['/created', '/modified']));
    expect(validator.validate(declared('new-sco'), standard).errors.map((e) => e.path)).not.toContain('/created');
  });

  it('lists several problems of one object together', () => {
    const result = validator.validate({ ...identity, name: undefined, modified: '2019-01-01T00:00:00.000Z', confidence: 300 }, standard);
    expect(result.errors.map((e) => e.rule).sort()).toEqual(['modified-not-before-created', 'required-property', 'value-range']);
    const line = formatIssues(result.errors);
    expect(line.split('; ')).toHaveLength(3);
    expect(line).toContain('[value-range] /confidence must be <= 100 (300)');
    expect(line).toContain('[required-property] /name is required but missing');
  });

  it('checks the basics itself: object, type and id', () => {
    expect(validator.validate(null, standard).errors[0].rule).toBe('json-object');
    expect(validator.validate({ id: identity.id }, standard).errors[0]).toMatchObject({ rule: 'required-property', path: '/type' });
    expect(validator.validate({ ...identity, id: 'identity' }, standard).errors[0]).toMatchObject({ rule: 'identifier', path: '/id' });
    expect(validator.validate({ ...identity, id: undefined }, standard).errors[0]).toMatchObject({ rule: 'required-property', path: '/id' });
  });

  describe('spec_version', () => {
    const stix20 = { ...identity, spec_version: undefined };

    it('refuses an SDO without spec_version (STIX 2.0) unless the collection accepts 2.0', () => {
      const refused = validator.validate(stix20, standard);
      expect(refused.valid).toBe(false);
      expect(refused.specVersion).toBe('2.0');
      expect(refused.errors[0].message).toContain('application/stix+json;version=2.0');
      const accepted = validator.validate(stix20, { ...standard, acceptStix20: true });
      expect(accepted).toMatchObject({ valid: true, specVersion: '2.0' });
    });

    it('still checks the common properties of a 2.0 object', () => {
      const result = validator.validate({ ...stix20, modified: '2019-01-01T00:00:00Z', created_by_ref: 'nope' }, { ...standard, acceptStix20: true });
      expect(result.errors.map((e) => e.rule).sort()).toEqual(['identifier', 'modified-not-before-created']);
    });

    it('treats an SCO without spec_version as 2.1', () => {
      const ipv4 = { type: 'ipv4-addr', id: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4', value: '198.51.100.3' };
      expect(validator.validate(ipv4, standard)).toMatchObject({ valid: true, specVersion: '2.1', warnings: [] });
    });
  });

  describe('policies', () => {
    const custom = { ...identity, foo: 'bar' };
    const widget = { type: 'x-acme-widget', spec_version: '2.1', id: 'x-acme-widget--a910923f-bf31-48fb-93a1-a319826d7ace', created: T, modified: T, size: 3 };

    it('standard accepts well-named custom content with a warning for SHOULDs', () => {
      const result = validator.validate(custom, standard);
      expect(result.valid).toBe(true);
      expect(result.warnings.map((w) => w.rule)).toEqual(['custom-property-prefix']);
      expect(validator.validate(widget, standard)).toMatchObject({ valid: true, warnings: [] });
    });

    it('strict refuses custom properties and types no extension definition declares', () => {
      expect(validator.validate(custom, { ...standard, policy: 'strict' }).errors.map((e) => e.rule)).toEqual(['unknown-property']);
      expect(validator.validate(widget, { ...standard, policy: 'strict' }).errors.map((e) => e.rule)).toEqual(['unknown-type']);
    });

    it('permissive applies only MUST rules: no warnings', () => {
      expect(validator.validate(custom, { ...standard, policy: 'permissive' })).toMatchObject({ valid: true, warnings: [] });
      expect(validator.validate({ ...custom, 'bad-name': 1 }, { ...standard, policy: 'permissive' }).errors.map((e) => e.rule)).toEqual(['custom-property-name']);
    });
  });

  it('validates predefined extensions with their own schema, with paths inside the object', () => {
    const file = { type: 'file', id: 'file--c10ebc4d-e065-5ec7-93e4-fa1fd2bae072', name: 'a.exe', extensions: { 'ntfs-ext': { alternate_data_streams: [{ size: 3 }] } } };
    expect(validator.validate(file, standard).errors).toEqual([
      { rule: 'required-property', path: '/extensions/ntfs-ext/alternate_data_streams/0/name', message: '/extensions/ntfs-ext/alternate_data_streams/0/name is required but missing' },
    ]);
  });

  it('validates a bundle wrapper on its own, not its members', () => {
    const bundle = { type: 'bundle', id: 'bundle--7db68b55-128a-4e8f-b41a-ec755a582b4a', objects: [{ type: 'identity' }] };
    expect(validator.validate(bundle, standard).valid).toBe(true);
    expect(validator.validate({ ...bundle, objects: [] }, standard).errors[0].rule).toBe('non-empty');
  });

  it('keeps no state between calls', () => {
    const bad = validator.validate({ ...identity, name: 1 }, standard);
    const good = validator.validate(identity, standard);
    expect(bad.valid).toBe(false);
    expect(good.errors).toEqual([]);
    expect(bad.errors).not.toBe(good.errors);
  });
});
