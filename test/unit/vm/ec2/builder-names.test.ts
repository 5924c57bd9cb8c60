import { amiName, builderName, stackName, vettedAmiParameter } from '../../../../bake/vm/ec2/builder-names';

const target = { name: 'debian13-arm64-go1.27' };

describe('builder names', () => {
  test("role, profile and group share one valid IAM role name; consumers' SSM parameter; the stack", () => {
    expect(builderName(target)).toBe('bake-builder-debian13-arm64-go1.27');
    expect(vettedAmiParameter(target)).toBe('/bake/debian13-arm64-go1.27/ami-id');
    expect(stackName({ name: 'debian12-amd64' })).toBe('bake-debian12-amd64');
  });

  test('a target name too long for IAM is refused there, not halfway through an apply', () => {
    expect(() => builderName({ name: 'x'.repeat(60) })).toThrow(/builder role name .* is not valid for AWS/);
  });

  test('a stack name is one plain directory name', () => {
    expect(() => stackName({ name: 'go1.27' })).toThrow(/is not one plain directory name/);
    expect(() => stackName({ name: '../x' })).toThrow(/is not one plain directory name/);
  });

  test('AMI names sort by time, to the second, in UTC', () => {
    const at = new Date('2026-12-06T12:34:56.789Z');
    expect(amiName(target, '1.27.4', at)).toBe('bake-debian13-arm64-go1.27-go1.27.4-20261206T123456Z');
    expect(amiName(target, '1.27.4', new Date('2026-12-06T12:34:57Z')) > amiName(target, '1.27.4', at)).toBe(true);
  });
});
