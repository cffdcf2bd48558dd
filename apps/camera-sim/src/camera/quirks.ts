/** Behaviours of real cameras that the simulator can reproduce, switchable at runtime. */
export interface Quirks {
  /** Only HTTP Digest is accepted on ONVIF; WS-UsernameToken is refused. */
  readonly digestOnly?: boolean;
  /** The camera's clock is off by this many seconds (GetSystemDateAndTime and the token freshness check). */
  readonly clockOffsetSeconds?: number;
  /** GetSystemDateAndTime carries LocalDateTime only (no UTCDateTime). */
  readonly localTimeOnly?: boolean;
  /** GetStreamUri returns a private 10.x address instead of the camera's own. */
  readonly natStreamUri?: boolean;
  /** The serial number is 20 decimal digits (loses precision if a client parses it as a number). */
  readonly serial20Digits?: boolean;
  /** Every ONVIF answer is delayed by this many milliseconds. */
  readonly slowResponsesMs?: number;
  /**
   * A new RTSP session starts at the current GOP's keyframe, sent at once (cameras and NVRs with a GOP
   * buffer); without it, a session starts at the next keyframe (up to one GOP later).
   */
  readonly gopCache?: boolean;
  /** The camera has no ONVIF events service (not advertised; its operations answer ActionNotSupported). */
  readonly noEvents?: boolean;
  /**
   * A hostile events service: PullMessages answers 2 MiB (`huge`), something that is not XML (`malformed`), or
   * never (`stall`: the request is held until the client gives up).
   */
  readonly eventsFault?: 'huge' | 'malformed' | 'stall';
  /** The camera does not answer at all (ONVIF, snapshot, RTSP and WS-Discovery closed). */
  readonly offline?: boolean;
}

export const NO_QUIRKS: Quirks = Object.freeze({});

/** Pure: the private address a NAT-ed camera reports for itself. */
export const natAddressFor = (index: number): string => `10.${(index >> 16) & 0xff}.${(index >> 8) & 0xff}.${(index & 0xff) || 1}`;
