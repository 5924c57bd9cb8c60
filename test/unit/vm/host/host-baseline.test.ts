import { sha256Hex } from '../../../../bake/common/sha256';
import { BASELINE_BEGIN, BASELINE_END } from '../../../../bake/vm/ec2/bake-tags';
import { parseConsoleBaseline, parseHostCapture, parseRecords } from '../../../../bake/vm/host/host-baseline';

const RECORDS = 'go.env:GOFLAGS\t-ldflags=\\"-s\\"\nuser\tgobuild\nvm.selinux\tconfig=enforcing now=Enforcing\n';
const block = (records: string, sha = sha256Hex(records)) =>
  `${BASELINE_BEGIN} captured-at=2026-12-01T10:00:00Z\n${records}${BASELINE_END} sha256=${sha}\n`;

test('parseRecords: one record per line; go env values unescaped as go printed them, others as they are', () => {
  expect(parseRecords(`${RECORDS}env:GOSUMDB\tsum.golang.org\nnot a record\n`)).toEqual({
    'go.env:GOFLAGS': '-ldflags="-s"',
    user: 'gobuild',
    'vm.selinux': 'config=enforcing now=Enforcing',
    'env:GOSUMDB': 'sum.golang.org',
  });
});

test('parseConsoleBaseline: the block on a boot console, with the time the host recorded it', () => {
  const console = `[   12.3] cloud-init: boot\n${block(RECORDS)}===== bake readiness result: begin =====\n`;
  expect(parseConsoleBaseline(console)).toEqual({
    schema: 'bake.baseline/v1',
    kind: 'vm',
    capturedAt: '2026-12-01T10:00:00Z',
    values: { 'go.env:GOFLAGS': '-ldflags="-s"', user: 'gobuild', 'vm.selinux': 'config=enforcing now=Enforcing' },
  });
});

test('parseConsoleBaseline: a block whose lines do not hash to its end line (cut, interleaved, forged) is none', () => {
  expect(parseConsoleBaseline(block(RECORDS, sha256Hex('other')))).toBeUndefined();
  const interleaved = block(RECORDS).replace('user\tgobuild\n', 'user\tgobuild\n[ 13.0] systemd: started\n');
  expect(parseConsoleBaseline(interleaved)).toBeUndefined();
  expect(parseConsoleBaseline(`${BASELINE_BEGIN}\n${RECORDS}`)).toBeUndefined();
  expect(parseConsoleBaseline(block(RECORDS).replace(/\n/g, '\r\n'))?.values.user).toBe('gobuild');
});

test('parseHostCapture: records and both GOROOT listings, byte for byte', () => {
  const text = [
    '===== bake baseline: records =====',
    'user\tgobuild',
    '===== bake baseline: goroot.meta =====',
    'd 755 0 0 ',
    'f 755 0 0 bin/go',
    '===== bake baseline: goroot.sums =====',
    `${'a'.repeat(64)}  bin/go`,
    '===== bake baseline: end =====',
    '',
  ].join('\n');
  expect(parseHostCapture(text)).toEqual({
    values: { user: 'gobuild' },
    trees: { '/usr/local/go': { meta: 'd 755 0 0 \nf 755 0 0 bin/go\n', sums: `${'a'.repeat(64)}  bin/go\n` } },
  });
  expect(parseHostCapture('bake-drift: error: no baseline\n')).toEqual({ values: {}, trees: {} });
});
