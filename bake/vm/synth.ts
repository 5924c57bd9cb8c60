import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdktf';
import { writeFileAtomic } from '../common/atomic-write';
import { BuilderStack, type BuilderStackInput } from './ec2/builder-stack';
import { stackName } from './ec2/builder-names';

export interface SynthesizedStack {
  stack: string;
  /** `<out>/stacks/<stack>/cdk.tf.json`: what Terraform would apply. */
  stackFile: string;
  /** The provisioning script, beside the stack: the user data a reviewer reads (it travels gzipped). */
  userDataFile: string;
}

/** Writes each target's stack (and its script) under `outDir`, as `cdktf synth` would. */
export async function synthStacks(
  outDir: string,
  inputs: (BuilderStackInput & { script: string })[],
): Promise<SynthesizedStack[]> {
  await fs.mkdir(outDir, { recursive: true });
  const app = new App({ outdir: outDir });
  for (const input of inputs) new BuilderStack(app, stackName(input.target), input);
  app.synth();
  return Promise.all(
    inputs.map(async (input) => {
      const dir = join(outDir, 'stacks', stackName(input.target));
      const userDataFile = join(dir, 'user-data.sh');
      await writeFileAtomic(userDataFile, input.script, 0o755);
      return { stack: stackName(input.target), stackFile: join(dir, 'cdk.tf.json'), userDataFile };
    }),
  );
}
