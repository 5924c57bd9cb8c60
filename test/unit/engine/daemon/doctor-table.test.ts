import { formatDoctorReport } from '../../../../bake/engine/daemon/doctor-table';

describe('doctor table', () => {
  test('aligned rows, the fix under each item that needs one, and a verdict', () => {
    const text = formatDoctorReport({
      ok: false,
      items: [
        {
          id: 'engine',
          status: 'missing',
          detail: 'no Docker engine answers',
          fix: 'sudo apt-get install -y docker.io',
        },
        { id: 'binfmt.arm64', status: 'ok', detail: 'qemu-aarch64 registered' },
      ],
    });
    expect(text).toBe(
      [
        'engine        missing  no Docker engine answers',
        '                       fix: sudo apt-get install -y docker.io',
        'binfmt.arm64  ok       qemu-aarch64 registered',
        'not ready: fix the items marked missing',
        '',
      ].join('\n'),
    );
  });
});
