import { BakeError, ExitCode } from '../../common/errors';

/**
 * AWS's rules for the names and tags bake makes up. bake derives them from target names, which
 * the recipe check keeps short and plain; these asserts are the last line, so a name AWS would
 * refuse (or read differently) fails here with a clear message, not halfway through an apply.
 */

/** IAM roles, instance profiles and role policies: `[\w+=,.@-]`; roles up to 64, the others 128. */
const IAM_NAME = /^[A-Za-z0-9_+=,.@-]+$/;
/** SSM Parameter Store: `/`-separated, `[A-Za-z0-9_.-]`, at most 1011 characters and 15 levels. */
const SSM_NAME = /^(\/[A-Za-z0-9_.-]+)+$/;
/** AMI names: 3 to 128 of letters, digits, ( ) [ ] space . / - ' @ _. */
const AMI_NAME = /^[A-Za-z0-9()[\] ./'@_-]{3,128}$/;
/** Security group names (VPC): up to 255 of a-z A-Z 0-9, space and ._-:/()#,@[]+=&;{}!$*, not "sg-...". */
const SECURITY_GROUP_NAME = /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]{1,255}$/;
/**
 * Tags: the characters every AWS service takes (default tags land on IAM and SSM as well as
 * EC2): letters, digits, spaces and `_ . : / = + - @`. Keys 1..128, values up to 256; keys
 * starting with `aws:` are AWS's own.
 */
const TAG_TEXT = /^[\p{L}\p{N}\p{Zs}_.:/=+\-@]*$/u;

function refuse(what: string, value: string, rule: string): never {
  throw new BakeError(
    `${what} ${JSON.stringify(value)} is not valid for AWS: ${rule}`,
    ExitCode.InvalidRecipe,
    'shorten or simplify the target name in the recipe',
  );
}

export function iamName(what: string, name: string, max: 64 | 128): string {
  if (!IAM_NAME.test(name) || name.length > max) refuse(what, name, `up to ${max} of letters, digits and _+=,.@-`);
  return name;
}

export function ssmParameterName(name: string): string {
  const levels = name.split('/').length - 1;
  if (!SSM_NAME.test(name) || name.length > 1011 || levels > 15 || /^\/?(aws|ssm)/i.test(name)) {
    refuse(
      'SSM parameter name',
      name,
      'a /path of letters, digits and _.- (at most 15 levels and 1011 characters, not starting with aws or ssm)',
    );
  }
  return name;
}

export function amiName(name: string): string {
  if (!AMI_NAME.test(name)) refuse('AMI name', name, "3 to 128 of letters, digits and ()[] ./'@_-");
  return name;
}

export function securityGroupName(name: string): string {
  if (!SECURITY_GROUP_NAME.test(name) || /^sg-/i.test(name))
    refuse(
      'security group name',
      name,
      'up to 255 of letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*, not starting with sg-',
    );
  return name;
}

/** Tags as bake sets them, each key and value checked against the rules above. */
export function awsTags(tags: Record<string, string>): Record<string, string> {
  for (const [key, value] of Object.entries(tags)) {
    if (!TAG_TEXT.test(key) || key.length < 1 || key.length > 128 || /^aws:/i.test(key))
      refuse('tag key', key, '1 to 128 of letters, digits, spaces and _.:/=+-@, not starting with aws:');
    if (!TAG_TEXT.test(value) || value.length > 256)
      refuse(`value of tag ${key}`, value, 'up to 256 of letters, digits, spaces and _.:/=+-@');
  }
  return tags;
}

/** Free text (a readiness summary) as a tag value: what no service takes becomes a space, cut at 256. */
export function tagText(value: string): string {
  return [...value]
    .map((c) => (TAG_TEXT.test(c) ? c : ' '))
    .join('')
    .slice(0, 256);
}

/** EC2 descriptions (images, security groups) take up to 255 characters. */
export function ec2Description(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 255);
}
