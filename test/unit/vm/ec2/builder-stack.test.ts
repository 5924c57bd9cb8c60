import { scratchDir } from '../../scratch-dir';
// The CDKTF stack of every shipped target, checked with cdktf's matchers and kept as golden
// files (the stack JSON, and the user data script it carries gzipped). After an intended
// change, rewrite them with BAKE_UPDATE_GOLDEN=1 and review the diff like code.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Testing } from 'cdktf';
import { setupJest } from 'cdktf/lib/testing/adapters/jest';
import { DataAwsAmi } from '@cdktf/provider-aws/lib/data-aws-ami';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import type { Target } from '../../../../bake/recipe/types';
import { BuilderStack } from '../../../../bake/vm/ec2/builder-stack';
import { renderProvisionScript } from '../../../../bake/vm/provision/provision-script';
import { encodeUserData } from '../../../../bake/vm/ec2/user-data';
import { SHIPPED_TARGET_NAMES, shippedTargets } from '../../render/render-fixtures';
import { provisionInput } from '../vm-fixtures';

setupJest();

const GOLDEN = join(__dirname, 'golden');
const UPDATE = process.env.BAKE_UPDATE_GOLDEN === '1';

function synth(target: Target): { json: string; script: string } {
  const script = renderProvisionScript(provisionInput(target));
  const stack = new BuilderStack(Testing.app({ outdir: scratchDir('bake-cdktf-') }), `bake-${target.name}`, {
    target,
    userData: encodeUserData(script),
    goVersion: '1.22.12',
    region: 'eu-central-1',
  });
  return { json: Testing.synth(stack), script };
}

let targets: Target[];
beforeAll(async () => {
  targets = await shippedTargets();
  if (UPDATE) {
    rmSync(GOLDEN, { recursive: true, force: true });
    mkdirSync(GOLDEN, { recursive: true });
    for (const target of targets) {
      const { json, script } = synth(target);
      writeFileSync(join(GOLDEN, `${target.name}.cdk.tf.json`), `${json}\n`);
      writeFileSync(join(GOLDEN, `${target.name}.user-data.sh`), script);
    }
    console.log(`BAKE_UPDATE_GOLDEN=1: rewrote ${GOLDEN}`);
  }
});

describe('bake ami rocky9-arm64 --synth: the stack', () => {
  let stack: string;
  let script: string;
  beforeAll(() => ({ json: stack, script } = synth(targets.find((t) => t.name === 'rocky9-arm64')!)));

  it('looks the source AMI up by the recipe: Rocky 9 aarch64 images of the Rocky account, newest first', () => {
    expect(stack).toHaveDataSourceWithProperties(DataAwsAmi, {
      most_recent: true,
      owners: ['792107900819'],
      filter: expect.arrayContaining([
        { name: 'name', values: ['Rocky-9-EC2-Base-9.*aarch64'] },
        { name: 'architecture', values: ['arm64'] },
      ]),
    });
  });

  it('launches a builder from it with the provisioning script as (gzipped) user data', () => {
    expect(stack).toHaveResourceWithProperties(Instance, {
      ami: '${data.aws_ami.source_ami.id}',
      instance_type: 't4g.medium',
      iam_instance_profile: '${aws_iam_instance_profile.builder_profile.name}',
      vpc_security_group_ids: ['${aws_security_group.builder_sg.id}'],
      metadata_options: { http_endpoint: 'enabled', http_tokens: 'required' },
    });
    const builder = JSON.parse(stack).resource.aws_instance.builder;
    expect(gunzipSync(Buffer.from(builder.user_data_base64, 'base64')).toString('utf8')).toBe(script);
    expect(script).toContain('SELINUX_MODE=enforcing');
    expect(script).toContain('CHRONY_UNIT=chronyd.service');
  });

  it('gives the builder a security group with no ingress at all, and only HTTP(S) out', () => {
    expect(stack).toHaveResourceWithProperties(SecurityGroup, { ingress: [] });
    const egress = JSON.parse(stack).resource.aws_security_group.builder_sg.egress as {
      from_port: number;
      protocol: string;
    }[];
    expect(egress.map((e) => [e.protocol, e.from_port])).toEqual([
      ['tcp', 443],
      ['tcp', 80],
    ]);
  });

  it('lets the builder tag only itself, and only with the verdict tags', () => {
    expect(stack).toHaveResource(IamInstanceProfile);
    expect(stack).toHaveDataSourceWithProperties(DataAwsIamPolicyDocument, {
      statement: [
        expect.objectContaining({
          actions: ['ec2:CreateTags'],
          condition: [
            { test: 'StringEquals', variable: 'aws:ARN', values: ['&{ec2:SourceInstanceARN}'] },
            { test: 'ForAllValues:StringLike', variable: 'aws:TagKeys', values: ['bake:readiness*'] },
          ],
        }),
      ],
    });
  });

  it('publishes the newest vetted AMI of the target in an SSM parameter', () => {
    expect(stack).toHaveResourceWithProperties(SsmParameter, {
      name: '/bake/rocky9-arm64/ami-id',
      type: 'String',
      data_type: 'aws:ec2:image',
      value: '${data.aws_ami.vetted_ami.id}',
    });
    expect(stack).toHaveDataSourceWithProperties(DataAwsAmi, {
      owners: ['self'],
      filter: expect.arrayContaining([
        { name: 'tag:bake:vetted', values: ['true'] },
        { name: 'tag:bake:target', values: ['rocky9-arm64'] },
      ]),
    });
  });

  it('is Terraform JSON whose user data cannot be misread as interpolation (it travels base64)', () => {
    expect(JSON.parse(stack).resource.aws_instance.builder.user_data).toBeUndefined();
    expect(stack).not.toMatch(/"user_data_base64": "[^"]*\$\{/);
  });
});

describe('golden stacks of the shipped recipes', () => {
  it('cover the 12 shipped targets, a stack and a script each', () => {
    expect(targets).toHaveLength(SHIPPED_TARGET_NAMES.length);
    expect(existsSync(GOLDEN) ? readdirSync(GOLDEN).sort() : []).toEqual(
      targets.flatMap((t) => [`${t.name}.cdk.tf.json`, `${t.name}.user-data.sh`]).sort(),
    );
  });

  it.each(SHIPPED_TARGET_NAMES)('%s synthesizes exactly its golden stack', (name) => {
    const { json, script } = synth(targets.find((t) => t.name === name)!);
    expect(script).toBe(readFileSync(join(GOLDEN, `${name}.user-data.sh`), 'utf8'));
    expect(`${json}\n`).toBe(readFileSync(join(GOLDEN, `${name}.cdk.tf.json`), 'utf8'));
  });
});
