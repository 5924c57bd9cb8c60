// Integration tests run against real services; this prepares the host before any of them.
export default async function globalSetup(): Promise<void> {}
