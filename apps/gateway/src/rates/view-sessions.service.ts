import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { ViewSessionsRepository } from '@tiergate/persistence';

export interface Viewer {
  userId: string;
  cameraId: string;
  profile: string;
}

/**
 * The live-viewing record (docs/methods.md, "Real-time monitoring rate"). Each answered POST /live calls
 * `liveAnswered` with the token's expiry: the viewer's open session on that camera and profile (one whose end
 * has not passed) is extended to the new expiry, else a session [now, expiry] starts. A viewer that stops
 * renewing has watched until its last token expired. Writes run after the answer, in order, one at a time;
 * a failed write is logged and the next one goes on (the record is a measurement, never a gate on video).
 */
@Injectable()
export class ViewSessionsService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('ViewSessions');
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly sessions: ViewSessionsRepository) {}

  liveAnswered(viewer: Viewer, expiresAt: Date, now: Date = new Date()): void {
    this.tail = this.tail.then(
      () => this.sessions.extendOrStart(viewer, now, expiresAt).then(() => undefined),
    ).catch((e: unknown) => this.logger.warn(`viewing session of user ${viewer.userId} on camera ${viewer.cameraId} not recorded: ${(e as Error).message}`));
  }

  /** Resolves once every session write queued so far has run (tests, shutdown). */
  written(): Promise<void> {
    return this.tail;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.tail;
  }
}
