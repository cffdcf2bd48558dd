#!/usr/bin/python3
"""A live RTSP camera whose pictures carry the wall-clock time they were made (bench:glass, issue 13).

GStreamer's gst-rtsp-server (Debian's gir1.2-gst-rtsp-server-1.0) serves two shared live H.264 streams:
  /main  1280x720, 25 fps, 2 Mbit/s     /sub  640x360, 25 fps, 600 kbit/s
both x264enc tune=zerolatency, a 1 s GOP (key-int-max=25), no B-frames. Each frame is made in Python just
before it is pushed into appsrc: its top rows hold a row of 40 square blocks, black (0) or white (1), most
significant bit first: the low 32 bits of the capture time (ms since the epoch, time.time()) then an 8-bit
check (the XOR of those four bytes, XOR 0x5A). Blocks are width/40 px (32 px at 720p): they survive the
encoder at these bit rates. Below the code a striped background moves, so the encoder has real work.

The medias are shared by every client and keyed by path only (the query is ignored), so
rtsp://HOST:PORT/sub?cam=7 and ?cam=8 are two cameras to Tiergate but one encoder here. As a real camera,
a client joins a running encoder mid-GOP as long as one other client keeps it running.
Prints "ready" on stdout once listening; stops on SIGTERM/SIGINT.
"""
import argparse
import signal
import sys
import threading
import time

import gi

gi.require_version('Gst', '1.0')
gi.require_version('GstRtspServer', '1.0')
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

BITS = 40
FPS = 25
BLACK, WHITE = 16, 235  # limited-range luma

parser = argparse.ArgumentParser()
parser.add_argument('--host', default='127.0.0.1')
parser.add_argument('--port', type=int, required=True)
args = parser.parse_args()


def code_of(ms):
    low = ms & 0xFFFFFFFF
    check = ((low >> 24) ^ (low >> 16) ^ (low >> 8) ^ low ^ 0x5A) & 0xFF
    return (low << 8) | check


class Frames:
    """I420 frames of one size: the code rows are made per frame, the moving background is precomputed."""

    def __init__(self, width, height):
        self.width, self.height = width, height
        self.block = width // BITS
        rows = height - self.block
        self.backgrounds = []
        for shift in range(FPS):
            row = bytes(60 + ((x + shift * 8) // 40 % 2) * 90 + (x * 60 // width) for x in range(width))
            self.backgrounds.append(row * rows)
        self.chroma = bytes([128]) * (width * height // 2)
        self.black = bytes([BLACK]) * self.block
        self.white = bytes([WHITE]) * self.block
        self.pad = bytes([BLACK]) * (width - self.block * BITS)
        self.n = 0

    def make(self, ms):
        code = code_of(ms)
        row = b''.join(self.white if (code >> (BITS - 1 - i)) & 1 else self.black for i in range(BITS)) + self.pad
        frame = b''.join((row * self.block, self.backgrounds[self.n % FPS], self.chroma))
        self.n += 1
        return frame


class Pusher(threading.Thread):
    """Pushes one frame every 40 ms (an absolute schedule, no drift), stamped just before it is pushed."""

    def __init__(self, appsrc, frames):
        super().__init__(daemon=True)
        self.appsrc, self.frames = appsrc, frames
        self.stopped = threading.Event()

    def run(self):
        due = time.monotonic()
        while not self.stopped.is_set():
            due += 1.0 / FPS
            if self.appsrc.get_state(0)[1] != Gst.State.PLAYING:
                # do-timestamp stamps running time, which only runs once the media plays: nothing sent before
                time.sleep(1.0 / FPS)
                due = time.monotonic()
                continue
            frame = self.frames.make(int(time.time() * 1000))
            buf = Gst.Buffer.new_allocate(None, len(frame), None)  # a copy: new_wrapped would not own the bytes
            buf.fill(0, frame)
            if self.appsrc.emit('push-buffer', buf) != Gst.FlowReturn.OK:
                return
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            else:
                due = time.monotonic()  # fell behind: no burst to catch up, as a camera


class StampedFactory(GstRtspServer.RTSPMediaFactory):
    def __init__(self, width, height, kbps):
        super().__init__()
        self.width, self.height = width, height
        self.set_launch(
            '( appsrc name=src is-live=true do-timestamp=true format=time '
            'caps=video/x-raw,format=I420,width={w},height={h},framerate={fps}/1 '
            '! queue max-size-buffers=2 leaky=downstream '
            '! x264enc tune=zerolatency speed-preset=ultrafast threads=1 sliced-threads=false key-int-max={fps} bframes=0 bitrate={kbps} '
            '! rtph264pay name=pay0 pt=96 config-interval=-1 )'.format(w=width, h=height, fps=FPS, kbps=kbps)
        )
        self.set_shared(True)
        self.connect('media-configure', self.on_configure)

    def do_gen_key(self, url):
        return url.abspath  # one media per path, whatever the query

    def on_configure(self, _factory, media):
        pusher = Pusher(media.get_element().get_by_name('src'), Frames(self.width, self.height))
        media.connect('unprepared', lambda _m: pusher.stopped.set())
        pusher.start()


Gst.init(None)
server = GstRtspServer.RTSPServer()
server.set_address(args.host)
server.set_service(str(args.port))
# Over RTSP/TCP a client's backlog is dropped when full by default, which tears keyframes apart: keep it.
server.connect('client-connected', lambda _s, client: client.set_property('drop-backlog', False))
mounts = server.get_mount_points()
mounts.add_factory('/main', StampedFactory(1280, 720, 2000))
mounts.add_factory('/sub', StampedFactory(640, 360, 600))
if server.attach(None) == 0:
    sys.stderr.write('cannot listen on {}:{}\n'.format(args.host, args.port))
    sys.exit(1)

loop = GLib.MainLoop()
for sig in (signal.SIGTERM, signal.SIGINT):
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)
print('ready', flush=True)
loop.run()
