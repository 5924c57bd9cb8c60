import { ExitCode } from '../../../../bake/common/errors';
import {
  amiName,
  awsTags,
  ec2Description,
  iamName,
  securityGroupName,
  ssmParameterName,
  tagText,
} from '../../../../bake/vm/ec2/aws-names';

const refused = (fn: () => unknown, what: string) =>
  expect(fn).toThrow(
    expect.objectContaining({
      exitCode: ExitCode.InvalidRecipe,
      message: expect.stringContaining(`${what} `),
      hint: 'shorten or simplify the target name in the recipe',
    }),
  );

describe('AWS names', () => {
  test('IAM names: the characters IAM takes, up to the length of the kind', () => {
    expect(iamName('role', 'bake-builder-debian12-amd64', 64)).toBe('bake-builder-debian12-amd64');
    expect(iamName('profile', 'a'.repeat(128), 128)).toHaveLength(128);
    refused(() => iamName('role', 'a'.repeat(65), 64), 'role');
    refused(() => iamName('role', 'a b', 64), 'role');
    refused(() => iamName('role', '', 64), 'role');
  });

  test('SSM parameter names: a /path, not AWS-reserved, at most 15 levels', () => {
    expect(ssmParameterName('/bake/debian12-amd64/ami-id')).toBe('/bake/debian12-amd64/ami-id');
    refused(() => ssmParameterName('bake/x'), 'SSM parameter name');
    refused(() => ssmParameterName('/aws/x'), 'SSM parameter name');
    refused(() => ssmParameterName('/ssm/x'), 'SSM parameter name');
    refused(() => ssmParameterName('/a b'), 'SSM parameter name');
    expect(ssmParameterName(`/${Array(15).fill('l').join('/')}`)).toBeTruthy();
    refused(() => ssmParameterName(`/${Array(16).fill('l').join('/')}`), 'SSM parameter name');
  });

  test('AMI names: 3 to 128 of the allowed characters', () => {
    expect(amiName('bake-debian12-amd64-go1.27.4-20261206T120000Z')).toBeTruthy();
    refused(() => amiName('ab'), 'AMI name');
    refused(() => amiName('a'.repeat(129)), 'AMI name');
    refused(() => amiName('bake:x'), 'AMI name');
  });

  test('security group names: never "sg-..." (the form of an id)', () => {
    expect(securityGroupName('bake-builder-debian12-amd64')).toBeTruthy();
    refused(() => securityGroupName('sg-123'), 'security group name');
    refused(() => securityGroupName('SG-123'), 'security group name');
    refused(() => securityGroupName('a\tb'), 'security group name');
  });

  test("tags: keys and values of the characters every service takes; AWS's own keys refused", () => {
    const tags = { Name: 'bake debian12', 'bake:target': 'debian12-amd64', 'bake:summary': '11/11 passed' };
    expect(awsTags(tags)).toBe(tags);
    refused(() => awsTags({ 'aws:x': 'y' }), 'tag key');
    refused(() => awsTags({ '': 'y' }), 'tag key');
    refused(() => awsTags({ k: 'a;b' }), 'value of tag k');
    refused(() => awsTags({ k: 'v'.repeat(257) }), 'value of tag k');
    expect(awsTags({ k: 'ü ñ 名' })).toBeTruthy();
  });

  test('free text as a tag value: characters no service takes become spaces, cut at 256', () => {
    expect(tagText('9/11 passed; go.env failed (GOSUMDB="off")')).toBe('9/11 passed  go.env failed  GOSUMDB= off  ');
    expect(tagText('x'.repeat(300))).toHaveLength(256);
  });

  test('descriptions: control characters become spaces, cut at 255', () => {
    expect(ec2Description('a\nb\tc\u007f')).toBe('a b c ');
    expect(ec2Description('d'.repeat(300))).toHaveLength(255);
  });
});
