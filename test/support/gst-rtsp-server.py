#!/usr/bin/python3
"""An RTSP server that is not ours: GStreamer's gst-rtsp-server (Debian's gir1.2-gst-rtsp-server-1.0).

Serves a live H.264 test pattern at rtsp://HOST:PORT/live, shared by all clients (as a camera does),
behind basic authentication when --user/--password are given. Prints "ready" on stdout once listening;
stops on SIGTERM/SIGINT. Used by test/live/gstreamer-source.int-spec.ts.
"""
import argparse
import signal
import sys

import gi

gi.require_version('Gst', '1.0')
gi.require_version('GstRtspServer', '1.0')
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument('--host', default='127.0.0.1')
parser.add_argument('--port', type=int, required=True)
parser.add_argument('--user')
parser.add_argument('--password')
parser.add_argument('--width', type=int, default=640)
parser.add_argument('--height', type=int, default=360)
args = parser.parse_args()

Gst.init(None)
server = GstRtspServer.RTSPServer()
server.set_address(args.host)
server.set_service(str(args.port))

factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch(
    '( videotestsrc is-live=true pattern=ball ! video/x-raw,width={w},height={h},framerate=25/1 '
    '! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=25 bframes=0 '
    '! video/x-h264,profile=baseline ! rtph264pay name=pay0 pt=96 config-interval=1 )'.format(w=args.width, h=args.height)
)
factory.set_shared(True)

if args.user:
    auth = GstRtspServer.RTSPAuth()
    token = GstRtspServer.RTSPToken()
    token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, 'viewer')
    auth.add_basic(GstRtspServer.RTSPAuth.make_basic(args.user, args.password), token)
    server.set_auth(auth)
    permissions = GstRtspServer.RTSPPermissions()
    permissions.add_permission_for_role('viewer', GstRtspServer.RTSP_PERM_MEDIA_FACTORY_ACCESS, True)
    permissions.add_permission_for_role('viewer', GstRtspServer.RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, True)
    factory.set_permissions(permissions)

server.get_mount_points().add_factory('/live', factory)
if server.attach(None) == 0:
    sys.stderr.write('cannot listen on {}:{}\n'.format(args.host, args.port))
    sys.exit(1)

loop = GLib.MainLoop()
for sig in (signal.SIGTERM, signal.SIGINT):
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)
print('ready', flush=True)
loop.run()
