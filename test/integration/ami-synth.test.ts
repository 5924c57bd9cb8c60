import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { setupJest } from 'cdktf/lib/testing/adapters/jest';
import { DataAwsAmi } from '@cdktf/provider-aws/lib/data-aws-ami';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { bake } from '../support/bake-cli';

setupJest();

/**
 * `bake ami rocky9-arm64 --synth` as a reviewer runs it: the real plan (Go from Debian's
 * packages here), no AWS credentials and no AWS call, a stack the cdktf matchers accept and
 * the user data beside it.
 */
let out: string;

beforeAll(async () => {
  out = await fs.mkdtemp(join(tmpdir(), 'bake-synth-test-'));
});

afterAll(async () => {
  await fs.rm(out, { recursive: true, force: true });
});

test('bake ami rocky9-arm64 --synth writes the stack and the user data, nothing else', async () => {
  const noAws = {
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_PROFILE: '',
    AWS_REGION: '',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
  const run = await bake(['ami', 'rocky9-arm64', '--synth', '--go-source', 'debian', '--out', out, '--json'], noAws);
  expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
  const files = JSON.parse(run.stdout) as { stackFile: string; userDataFile: string };
  expect(files).toEqual({
    stack: 'bake-rocky9-arm64',
    stackFile: join(out, 'stacks', 'bake-rocky9-arm64', 'cdk.tf.json'),
    userDataFile: join(out, 'stacks', 'bake-rocky9-arm64', 'user-data.sh'),
  });

  const stack = await fs.readFile(files.stackFile, 'utf8');
  expect(stack).toHaveDataSourceWithProperties(DataAwsAmi, {
    owners: ['792107900819'],
    filter: expect.arrayContaining([
      { name: 'name', values: ['Rocky-9-EC2-Base-9.*aarch64'] },
      { name: 'architecture', values: ['arm64'] },
    ]),
  });
  expect(stack).toHaveResourceWithProperties(Instance, {
    instance_type: 't4g.medium',
    ami: '${data.aws_ami.source_ami.id}',
  });
  expect(stack).toHaveResourceWithProperties(SecurityGroup, { ingress: [] });
  expect(stack).toHaveResourceWithProperties(SsmParameter, { name: '/bake/rocky9-arm64/ami-id' });

  const script = await fs.readFile(files.userDataFile, 'utf8');
  const carried = JSON.parse(stack).resource.aws_instance.builder.user_data_base64 as string;
  expect(gunzipSync(Buffer.from(carried, 'base64')).toString('utf8')).toBe(script);
  expect(script).toMatch(/^GO_FILENAME=go1\.27\.\d+\.linux-arm64\.tar\.gz$/m);
  expect(script).toContain('SELINUX_MODE=enforcing');
  expect((await fs.readdir(out)).sort()).toEqual(['manifest.json', 'stacks']);
});
