import type { ImageKind } from '../recipe/types';
import type { WaiverStatus } from '../recipe/waiver-dates';

/** A vetted image whose inputs are behind today's plan. */
export interface OutdatedImage {
  target: string;
  kind: ImageKind;
  /** `repository:tag` of the newest vetted image. */
  image: string;
  vettedInputs: string;
  todayInputs: string;
  changes: string[];
}

export interface OutdatedReport {
  schema: 'bake.outdated/v1';
  location: string;
  behind: OutdatedImage[];
  /** `target/kind` whose newest vetted image has today's inputs. */
  current: string[];
  notVetted: string[];
  /** Targets that could not be planned (their source is unreachable). */
  failed: { target: string; message: string }[];
  /** Each target's waivers that have expired or expire within 30 days, soonest first. */
  waivers: { target: string; waivers: WaiverStatus[] }[];
}
