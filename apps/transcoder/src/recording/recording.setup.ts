import type { Registry } from 'prom-client';
import type { Clock } from '../clock';
import type { PublishFn, TranscoderWorker } from '../transcoder.worker';
import { NodeRecordingFs, type RecordingFs } from './recording-fs';
import { RecordingManager, type RecordingManagerDeps, type SourceResolver } from './recording-manager';
import { RecordingMetrics } from './recording.metrics';
import { RecordingStorage, type RecordingRoot } from './recording-storage';
import type { SegmentIndex } from './segment-index';

/** What a worker needs to record (RecordingHost builds it from config; tests pass their own). */
export interface RecordingSetup {
  /** Absolute directories; at least one (no roots: no setup). */
  roots: RecordingRoot[];
  segmentSeconds: number;
  minFreeBytes: number;
  pruneIntervalMs: number;
  index: SegmentIndex;
  sourceOf: SourceResolver;
  /** Default: the real file system. */
  fs?: RecordingFs;
}

/** Builds the worker's RecordingManager over its storage roots (not started: start() runs the crash scan). */
export function createRecordingManager(setup: RecordingSetup, ports: { worker: TranscoderWorker; publish: PublishFn; clock: Clock; registry?: Registry; log?: RecordingManagerDeps['log'] }): RecordingManager {
  const fs = setup.fs ?? new NodeRecordingFs();
  const storages = setup.roots.map((root) => new RecordingStorage(root, fs, setup.minFreeBytes, () => ports.clock.now()));
  return new RecordingManager({
    sessions: ports.worker,
    storages,
    fs,
    index: setup.index,
    sourceOf: setup.sourceOf,
    publish: ports.publish,
    clock: ports.clock,
    segmentSeconds: setup.segmentSeconds,
    pruneIntervalMs: setup.pruneIntervalMs,
    metrics: new RecordingMetrics(ports.registry),
    log: ports.log,
  });
}
