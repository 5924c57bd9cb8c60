export interface HostFacts {
  isRoot: boolean;
  debianFamily: boolean;
}

export interface BinfmtState {
  needed: boolean;
  handler: string;
  registered: boolean;
  mounted: boolean;
  qemuInstalled: boolean;
}
