import { formatResponse, parseNext, parseTransport } from './rtsp.message';

describe('RTSP messages', () => {
  it('parses a request with body and leaves the rest', () => {
    const raw = Buffer.from('SET_PARAMETER rtsp://h/main RTSP/1.0\r\nCSeq: 7\r\nContent-Length: 3\r\n\r\nabcOPTIONS');
    const step = parseNext(raw);
    expect(step.kind).toBe('request');
    if (step.kind !== 'request') return;
    expect(step.request).toMatchObject({ method: 'SET_PARAMETER', url: 'rtsp://h/main', headers: { cseq: '7' } });
    expect(step.request.body.toString()).toBe('abc');
    expect(parseNext(raw.subarray(step.consumed))).toEqual({ kind: 'need-more' });
  });

  it('parses interleaved frames and rejects junk', () => {
    const frame = Buffer.from([0x24, 1, 0, 2, 9, 9, 0x24]);
    expect(parseNext(frame)).toMatchObject({ kind: 'interleaved', channel: 1, consumed: 6 });
    expect(parseNext(Buffer.from('hello world\r\n\r\n')).kind).toBe('error');
    expect(parseNext(Buffer.from('DESCRIBE x RTSP/1.0\r\nContent-Length: 99999\r\n\r\n')).kind).toBe('error');
    expect(parseNext(Buffer.alloc(9000, 0x41)).kind).toBe('error');
  });

  it('chooses a unicast transport', () => {
    expect(parseTransport('RTP/AVP/TCP;unicast;interleaved=2-3')).toEqual({ mode: 'tcp', interleaved: [2, 3] });
    expect(parseTransport('RTP/AVP;unicast;client_port=5000-5001')).toEqual({ mode: 'udp', clientPorts: [5000, 5001] });
    expect(parseTransport('RTP/AVP;multicast,RTP/AVP/UDP;unicast;client_port=6000')).toEqual({ mode: 'udp', clientPorts: [6000, 6001] });
    expect(parseTransport('RTP/AVP;unicast')).toBeUndefined();
    expect(parseTransport('RTP/SAVP;unicast;client_port=1-2')).toBeUndefined();
  });

  it('formats responses with CSeq and SDP body', () => {
    const text = formatResponse(200, '3', [['Public', 'OPTIONS']], 'v=0\r\n').toString();
    expect(text).toMatch(/^RTSP\/1.0 200 OK\r\nCSeq: 3\r\n/);
    expect(text).toContain('Content-Length: 5\r\n\r\nv=0\r\n');
    expect(formatResponse(400, 'x\r\nEvil: 1').toString()).not.toContain('Evil');
  });
});
