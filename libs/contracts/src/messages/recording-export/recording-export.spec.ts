import { exportFailureOf, exportFailureText, RecordingTopics } from '../../recording';
import { Commands } from '../../topics';
import { payloadProblem } from '../message';
import { commandOfTopic, eventOfTopic } from '../registry';

const uuid = '6f1c0a52-3c1e-4d39-9b7e-2f7f2f0d3c11';
const at = new Date().toISOString();

describe('recording export contracts', () => {
  it('the command is served on the worker’s own topic and checks its request and reply', () => {
    const command = commandOfTopic(Commands.recordingExport('w-1'))!;
    expect(command.name).toBe('recording-export');
    expect(payloadProblem(command.request, { exportId: uuid })).toBeUndefined();
    expect(payloadProblem(command.request, { exportId: '../x' })).toMatch(/^exportId: /);
    expect(payloadProblem(command.reply, { accepted: false, workerId: 'w-1', reason: 'no segment of the range on this worker' })).toBeUndefined();
    expect(payloadProblem(command.reply, { workerId: 'w-1' })).toMatch(/^accepted: /);
  });
  it('the delete command has its own topic (not the export command’s) and checks its request and reply', () => {
    const command = commandOfTopic(Commands.recordingExportDelete('w-1'))!;
    expect(command.name).toBe('recording-export-delete');
    expect(commandOfTopic(Commands.recordingExport('w-1'))!.name).toBe('recording-export');
    expect(payloadProblem(command.request, { exportId: uuid })).toBeUndefined();
    expect(payloadProblem(command.request, { exportId: 'x' })).toMatch(/^exportId: /);
    expect(payloadProblem(command.reply, { deleted: true, workerId: 'w-1', hadFile: true, cancelled: false })).toBeUndefined();
    expect(payloadProblem(command.reply, { workerId: 'w-1' })).toMatch(/^deleted: /);
  });
  it('a failure text carries a closed code and an optional detail', () => {
    expect(exportFailureOf(exportFailureText('ffmpeg-failed', 'ffmpeg exited 1: bad'))).toEqual({ code: 'ffmpeg-failed', detail: 'ffmpeg exited 1: bad' });
    expect(exportFailureOf('worker-restarted')).toEqual({ code: 'worker-restarted', detail: null });
    expect(exportFailureOf('ffmpeg exited 1: older row')).toEqual({ code: 'io-failed', detail: 'ffmpeg exited 1: older row' });
    expect(exportFailureOf(null)).toBeUndefined();
    expect(exportFailureText('io-failed', 'x'.repeat(3000))).toHaveLength(2000);
  });
  it('progress events validate on RecordingTopics.exportProgress', () => {
    const payload = eventOfTopic(RecordingTopics.exportProgress(uuid))!.payload;
    expect(payloadProblem(payload, { exportId: uuid, state: 'running', progress: 0.4, at })).toBeUndefined();
    expect(payloadProblem(payload, { exportId: uuid, state: 'done', progress: 1, sha256: 'a'.repeat(64), bytes: 1234, at })).toBeUndefined();
    expect(payloadProblem(payload, { exportId: uuid, state: 'done', progress: 1.5, at })).toMatch(/^progress: /);
    expect(payloadProblem(payload, { exportId: uuid, state: 'melted', progress: 0, at })).toMatch(/^state: /);
  });
});
