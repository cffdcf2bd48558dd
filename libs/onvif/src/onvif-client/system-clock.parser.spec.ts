import { parseSystemDateAndTime, posixTzOffsetMs } from './system-clock.parser';

const env = (inner: string) =>
  `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tt="x"><s:Body><GetSystemDateAndTimeResponse><SystemDateAndTime>${inner}</SystemDateAndTime></GetSystemDateAndTimeResponse></s:Body></s:Envelope>`;
const dt = (tag: string, h: number) => `<tt:${tag}><tt:Time><tt:Hour>${h}</tt:Hour><tt:Minute>5</tt:Minute><tt:Second>6</tt:Second></tt:Time><tt:Date><tt:Year>2026</tt:Year><tt:Month>3</tt:Month><tt:Day>4</tt:Day></tt:Date></tt:${tag}>`;

describe('camera clock', () => {
  it('parses POSIX TZ offsets', () => {
    expect(posixTzOffsetMs('CST-8')).toBe(-8 * 3600_000);
    expect(posixTzOffsetMs('EST5EDT')).toBe(5 * 3600_000);
    expect(posixTzOffsetMs('<+0530>-5:30')).toBe(-(5.5 * 3600_000));
    expect(posixTzOffsetMs('garbage')).toBeUndefined();
  });
  it('prefers UTCDateTime', () => {
    expect(parseSystemDateAndTime(env(`<tt:TimeZone><tt:TZ>CST-8</tt:TZ></tt:TimeZone>${dt('UTCDateTime', 1)}${dt('LocalDateTime', 9)}`))).toEqual({ utcMs: Date.UTC(2026, 2, 4, 1, 5, 6), source: 'utc' });
  });
  it('converts LocalDateTime with the time zone when UTC is missing', () => {
    expect(parseSystemDateAndTime(env(`<tt:TimeZone><tt:TZ>CST-8</tt:TZ></tt:TimeZone>${dt('LocalDateTime', 9)}`))).toEqual({ utcMs: Date.UTC(2026, 2, 4, 1, 5, 6), source: 'local+tz' });
    expect(parseSystemDateAndTime(env(dt('LocalDateTime', 9)))?.source).toBe('local-as-utc');
  });
});
