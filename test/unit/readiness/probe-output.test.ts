describe('probe output', () => {
  test('both spellings of the contract are read, anything else is not a report', async () => {
    const { parseProbeOutput } = await import('../../../bake/readiness/probe-output');
    const draft = parseProbeOutput(
      '{"goVersion":"go1.22.12","goos":"linux","goarch":"arm64","uid":10001,"certPool":true,"timezone":false}\n',
    );
    expect(draft).toEqual({
      goVersion: 'go1.22.12',
      goos: 'linux',
      goarch: 'arm64',
      uid: 10001,
      certPool: true,
      timezone: false,
      errors: [],
    });
    expect(
      parseProbeOutput(
        '{"go":"go1.22.12","goos":"linux","goarch":"amd64","uid":0,' +
          '"certPool":false,"certPoolError":"empty","timeZone":true}',
      )?.errors,
    ).toEqual(['empty']);
    expect(parseProbeOutput('{"goos":"linux"}')).toBeUndefined();
    expect(parseProbeOutput('not json')).toBeUndefined();
  });
});
