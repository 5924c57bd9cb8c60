import { checkUser } from '../../../bake/readiness/build-user';
import { FakeDriver } from './fake-driver';

describe('checkUser', () => {
  test('the build user where the image has its account, else the image user (undefined)', async () => {
    const d = new FakeDriver();
    expect(await checkUser(d, 'gobuild')).toBe('gobuild');
    d.files.set('/etc/passwd', Buffer.from('root:x:0:0:root:/root:/bin/sh\ngobuilder:x:1:1::/:/bin/sh\n'));
    expect(await checkUser(d, 'gobuild')).toBeUndefined();
    d.files.delete('/etc/passwd');
    expect(await checkUser(d, 'gobuild')).toBeUndefined();
  });
});
