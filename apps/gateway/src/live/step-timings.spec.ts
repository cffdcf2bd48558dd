import { StepTimings } from './step-timings';

describe('StepTimings', () => {
  it('gives each step the time since the previous mark, then the total, as a Server-Timing header', () => {
    let t = 100;
    const timings = new StepTimings(() => t);
    t = 101.25;
    timings.mark('camera');
    t = 104;
    timings.mark('place');
    t = 104.5;
    expect(timings.header()).toBe('camera;dur=1.3, place;dur=2.8, total;dur=4.5');
  });
});
