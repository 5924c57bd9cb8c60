import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { DataAwsAmi } from '@cdktf/provider-aws/lib/data-aws-ami';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { terraformLiterals } from '../../common/terraform-escape';
import type { Target } from '../../recipe/types';
import { awsTags, securityGroupName } from './aws-names';
import { TAG, VERDICT_TAG_PREFIX } from './bake-tags';
import { builderName, vettedAmiParameter } from './builder-names';
import type { UserData } from './types';

export interface BuilderStackInput {
  target: Target;
  userData: UserData;
  goVersion: string;
  /** The provider's region; when absent, Terraform takes AWS_REGION at apply time. */
  region?: string;
}

/**
 * One target's VM build as infrastructure as code: the source AMI looked up by the recipe's
 * filter and owners, a builder running the provisioning script as user data, the role that
 * lets it tag itself (and nothing else), a security group with no inbound rule, and the SSM
 * parameter consumers read the newest vetted AMI from. `bake ami` does the same bake through
 * the EC2 API (it must wait, judge and image, which Terraform cannot); this is what a reviewer
 * reads, and what a team applies for the long-lived parts (role, profile, parameter).
 */
export class BuilderStack extends TerraformStack {
  constructor(scope: Construct, id: string, raw: BuilderStackInput) {
    super(scope, id);
    // AWS's rules apply to the values themselves; then every string of the input is escaped
    // for Terraform's template syntax, here where it enters the stack and nowhere else, so a
    // `${...}` or `%{...}` in a recipe value reaches AWS as text and is never evaluated.
    // Everything below reads `input` only; the stack's own references (tokens) stay live.
    securityGroupName(builderName(raw.target));
    awsTags({
      [TAG.managed]: 'true',
      [TAG.target]: raw.target.name,
      Name: builderName(raw.target),
      [TAG.role]: 'builder',
      [TAG.goVersion]: raw.goVersion,
      [TAG.userDataSha256]: raw.userData.scriptSha256,
    });
    const input = terraformLiterals(raw);
    const { target } = input;
    const name = builderName(target);
    const marks = { [TAG.managed]: 'true', [TAG.target]: target.name };
    new AwsProvider(this, 'aws', { ...(input.region ? { region: input.region } : {}), defaultTags: [{ tags: marks }] });

    const source = new DataAwsAmi(this, 'source_ami', {
      mostRecent: true,
      owners: target.vm.sourceAmi.owners,
      filter: [
        { name: 'name', values: [target.vm.sourceAmi.name] },
        { name: 'architecture', values: [target.vm.sourceAmi.architecture] },
        { name: 'state', values: ['available'] },
        { name: 'root-device-type', values: ['ebs'] },
      ],
    });

    const assume = new DataAwsIamPolicyDocument(this, 'builder_assume', {
      statement: [
        { actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['ec2.amazonaws.com'] }] },
      ],
    });
    // The builder publishes its verdict as tags on itself: on no other instance (aws:ARN is the
    // resource, ec2:SourceInstanceARN the caller), and no tag but the verdict's.
    const tagSelf = new DataAwsIamPolicyDocument(this, 'builder_tag_self', {
      statement: [
        {
          actions: ['ec2:CreateTags'],
          resources: ['arn:aws:ec2:*:*:instance/*'],
          condition: [
            { test: 'StringEquals', variable: 'aws:ARN', values: ['&{ec2:SourceInstanceARN}'] },
            { test: 'ForAllValues:StringLike', variable: 'aws:TagKeys', values: [`${VERDICT_TAG_PREFIX}*`] },
          ],
        },
      ],
    });
    const role = new IamRole(this, 'builder_role', {
      name,
      assumeRolePolicy: assume.json,
      description: `bake builder of ${target.name}: may tag itself with its readiness verdict`,
    });
    new IamRolePolicy(this, 'builder_tag_self_policy', {
      name: 'tag-self-with-verdict',
      role: role.id,
      policy: tagSelf.json,
    });
    const profile = new IamInstanceProfile(this, 'builder_profile', { name, role: role.name });

    // No ingress at all: nothing reaches the builder. Out: HTTP(S) for packages, Go and the EC2 API
    // (instance metadata and Amazon Time Sync are link-local and need no rule).
    const group = new SecurityGroup(this, 'builder_sg', {
      name,
      description: `bake builder of ${target.name}: no inbound access`,
      ingress: [],
      egress: [443, 80].map((port) => ({
        description: `outbound ${port}`,
        fromPort: port,
        toPort: port,
        protocol: 'tcp',
        cidrBlocks: ['0.0.0.0/0'],
        ipv6CidrBlocks: ['::/0'],
      })),
    });

    new Instance(this, 'builder', {
      ami: source.id,
      instanceType: target.vm.instanceType,
      iamInstanceProfile: profile.name,
      vpcSecurityGroupIds: [group.id],
      userDataBase64: input.userData.base64,
      userDataReplaceOnChange: true,
      instanceInitiatedShutdownBehavior: 'terminate',
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required' },
      rootBlockDevice: { volumeSize: target.vm.rootVolumeGiB, volumeType: 'gp3', encrypted: true },
      tags: {
        Name: name,
        [TAG.role]: 'builder',
        [TAG.goVersion]: input.goVersion,
        [TAG.userDataSha256]: input.userData.scriptSha256,
      },
    });

    const vetted = new DataAwsAmi(this, 'vetted_ami', {
      mostRecent: true,
      owners: ['self'],
      filter: [
        { name: `tag:${TAG.target}`, values: [target.name] },
        { name: `tag:${TAG.vetted}`, values: ['true'] },
        { name: 'state', values: ['available'] },
      ],
    });
    new SsmParameter(this, 'vetted_ami_parameter', {
      name: vettedAmiParameter(target),
      description: `The newest AMI of ${target.name} that passed bake's readiness suite`,
      type: 'String',
      dataType: 'aws:ec2:image',
      value: vetted.id,
    });
  }
}
