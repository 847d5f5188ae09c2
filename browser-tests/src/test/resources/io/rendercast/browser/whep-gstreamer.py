#!/usr/bin/python3
"""A WHEP player that is not a browser: GStreamer's webrtcbin (libnice's full ICE, its own DTLS and SRTP) offers
to receive H.264, POSTs the offer to a WHEP URL, plays the answer, decodes with FFmpeg's H.264 decoder and writes
the last picture it decoded, as RGBA, to a file. Usage: whep-gstreamer.py URL OUTPUT SECONDS. Prints one line:
"decoded N WIDTHxHEIGHT", or why it could not play, and exits 1."""
import sys
import urllib.request

import gi
gi.require_version('Gst', '1.0')
gi.require_version('GstWebRTC', '1.0')
gi.require_version('GstSdp', '1.0')
from gi.repository import GLib, Gst, GstSdp, GstWebRTC  # noqa: E402

url, output, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
Gst.init(None)
loop = GLib.MainLoop()
pipeline = Gst.Pipeline.new('whep')
webrtc = Gst.ElementFactory.make('webrtcbin', 'webrtc')
webrtc.set_property('bundle-policy', GstWebRTC.WebRTCBundlePolicy.MAX_BUNDLE)
pipeline.add(webrtc)
state = {'decoded': 0, 'size': None, 'failed': None}


def fail(why):
    state['failed'] = why
    loop.quit()


def on_sample(sink):
    sample = sink.emit('pull-sample')
    structure = sample.get_caps().get_structure(0)
    size = (structure.get_value('width'), structure.get_value('height'))
    buffer = sample.get_buffer()
    ok, mapped = buffer.map(Gst.MapFlags.READ)
    if ok:
        with open(output, 'wb') as picture:
            picture.write(mapped.data)
        buffer.unmap(mapped)
    state['decoded'] += 1
    state['size'] = size
    return Gst.FlowReturn.OK


def on_pad(_, pad):
    if pad.get_direction() != Gst.PadDirection.SRC:
        return
    decode = Gst.parse_bin_from_description(
        'queue ! rtph264depay ! h264parse ! avdec_h264 ! videoconvert ! video/x-raw,format=RGBA '
        '! appsink name=sink emit-signals=true sync=false max-buffers=2 drop=true', True)
    pipeline.add(decode)
    decode.sync_state_with_parent()
    decode.get_by_name('sink').connect('new-sample', on_sample)
    pad.link(decode.get_static_pad('sink'))


def offer():
    promise = Gst.Promise.new()
    webrtc.emit('create-offer', None, promise)
    promise.wait()
    reply = promise.get_reply()  # held: the offer lives in it
    description = reply.get_value('offer')
    webrtc.emit('set-local-description', description, Gst.Promise.new())
    # Not trickled: the candidates are gathered first, then the whole offer goes.
    GLib.timeout_add(500, post_offer)
    return False


def post_offer():
    sdp = webrtc.get_property('local-description').sdp.as_text()
    request = urllib.request.Request(url, data=sdp.encode(), method='POST',
                                     headers={'Content-Type': 'application/sdp'})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            answer_text = response.read().decode()
            status = response.status
    except Exception as error:  # an HTTP error or no server: said, not thrown
        fail('the WHEP POST failed: %s' % error)
        return False
    if status != 201:
        fail('WHEP answered %d' % status)
        return False
    ok, message = GstSdp.SDPMessage.new_from_text(answer_text)
    answer = GstWebRTC.WebRTCSessionDescription.new(GstWebRTC.WebRTCSDPType.ANSWER, message)
    webrtc.emit('set-remote-description', answer, Gst.Promise.new())
    return False


def on_bus(_, message):
    if message.type == Gst.MessageType.ERROR:
        error, _ = message.parse_error()
        fail('GStreamer: %s' % error.message)


caps = Gst.Caps.from_string('application/x-rtp,media=video,encoding-name=H264,clock-rate=90000,payload=102,'
                            'packetization-mode=(string)1,profile-level-id=(string)42e01f,ssrc=(uint)1')
webrtc.emit('add-transceiver', GstWebRTC.WebRTCRTPTransceiverDirection.RECVONLY, caps)
webrtc.connect('pad-added', on_pad)
pipeline.get_bus().add_signal_watch()
pipeline.get_bus().connect('message', on_bus)
pipeline.set_state(Gst.State.PLAYING)
GLib.idle_add(offer)
GLib.timeout_add(int(seconds * 1000), loop.quit)
loop.run()
pipeline.set_state(Gst.State.NULL)
if state['failed'] or state['decoded'] == 0:
    print(state['failed'] or 'nothing decoded in %s s' % seconds)
    sys.exit(1)
print('decoded %d %dx%d' % (state['decoded'], state['size'][0], state['size'][1]))
