// rendercast.js: a small browser client for a Rendercast server, as a standard ES module an application's page imports:
//
//   import { RendercastPlayer } from '/rendercast.js';
//   const player = new RendercastPlayer('live/demo', { canvas: document.querySelector('canvas'), query: { token } });
//   player.addEventListener('statechange', (event) => console.log(event.detail));
//   await player.play();
//   await player.call('setColor', '#33aaff');
//
// It plays over WebRTC where the server offers it (WHEP, POST /whep/APP/STREAM: video over UDP with congestion
// control, the calls on a data channel), and otherwise over the viewer's WebSocket (/ws/APP/STREAM, docs/protocol.md
// section 1): JSON text messages for calls, answers and statuses, and binary messages for video, which it decodes
// with WebCodecs and draws on the canvas as each frame arrives, with no media element's buffer in between. Either
// way the frames are drawn on the canvas and the calls are the same. The WebSocket path needs WebCodecs: the FLV
// fallback for browsers without it lives in the built-in page (viewer.js) only.
//
// On a broadcast that its controllers steer, a 'control' event says who controls, how many watch, and this page's
// role (controller, queued or watcher), and null when the connection drops; requestControl() asks for control and
// releaseControl() gives it up.

const FIRST_CALL_ID = 3; // 1 and 2 are the connect and createStream the server makes for the page
const FIRST_RECONNECT_DELAY_MS = 500;
const MOST_RECONNECT_DELAY_MS = 10000;
const WEBRTC_CONNECT_MS = 5000; // a WebRTC path not connected by then (UDP blocked, say): the WebSocket instead
// Nothing at all received over WebRTC for this long, while connected, and the path is given up: a server that died
// (a killed node) never sends again, and Chromium calls the connection disconnected only after about 5 s of nothing,
// failed far later. The server sends a sender report every second even while the stream is paused, so a live path is
// never this quiet; a loss of a second or two is waited out.
const WEBRTC_SILENT_MS = 2500;
const WEBRTC_WATCH_MS = 500;
const INPUT_COPY_DELAY_MS = 20; // apart enough to leave in packets of their own, near enough to cost little
// A third copy of each input while the path has lost video packets lately: at 5 % loss both of two copies are lost
// once in 400 inputs, and that input waits for the browser's SCTP retransmission timeout (400 ms or more), where
// three copies are all lost once in 8,000. On a path that loses nothing the third costs nothing.
const LOSSY_FOR_MS = 10000;
const ABS_CAPTURE_TIME = 'http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time';
const NTP_TO_UNIX_MS = 2208988800000; // from 1900, NTP's epoch, to 1970

export class RendercastPlayer extends EventTarget {
  #stream; #canvas; #painter = null; #query; #server; #onCall; #reconnect;
  #socket = null; #refused = false; #closed = false;
  #retryRefused = false; // refused by a full or draining server: connect again, maybe to another node
  #playPromise = null; #played = null; // play()'s promise, and its resolve and reject until it settles
  #nextCallId = FIRST_CALL_ID; #pendingCalls = new Map();
  #reconnectDelay = FIRST_RECONNECT_DELAY_MS; #reconnectTimer = null;
  #decoder = null; #waitingForKey = true;
  #decoderConfig = null; // the last configuration record's, to start again at a key frame after a decode error
  #decodeStarted = new Map(); // timestamp -> performance.now() when it went to the decoder
  #inDecoder = 0; // frames given to the decoder and not yet drawn: told to the server with each frame drawn
  #videoBytes = 0; // the video messages' bytes this connection received: told to the server as each one comes
  #clockEpochMillis = NaN; #sizedByMetadata = false;
  #statsTimer = null; #framesThisSecond = 0;
  #transport; #peer = null; #channel = null; #inputChannel = null; #copies = 0; #lossSeenAt = -Infinity; #whepSession = null; #video = null;
  #trackReader = null;
  #webRtcGaveWay = false;
  #stats = { state: 'closed', codec: null, framesDecoded: 0, fps: 0, decodeMs: 0, latencyMs: NaN, reconnects: 0,
    latencyFrom: null, // what latencyMs is timed from: 'abs-capture-time' (WebRTC's) or 'stream-clock' (metadata's)
    transport: null, // 'webrtc' or 'websocket', once connecting
    role: null, // on a broadcast with controllers: 'controller', 'queued' or 'watcher'; else null
    lastError: null };

  /**
   * @param {string} stream 'APP/STREAM', e.g. 'live/demo'
   * @param {object} [options]
   * @param {HTMLCanvasElement} [options.canvas] where frames are drawn (required to play); resized to the stream's
   *   onMetaData width and height
   * @param {object|URLSearchParams} [options.query] connect arguments (a token, say): the server's connect handlers
   *   get them as the map an RTMP client would pass
   * @param {string} [options.server] base URL such as 'ws://host:8080'; by default the page's own host, over wss:
   *   when the page is https:
   * @param {(procedure: string, args: any[]) => any} [options.onCall] answers the server's calls (connection.call):
   *   what it returns or resolves to goes back as _result, what it throws as _error. By default it answers null
   * @param {boolean} [options.reconnect] reconnect with backoff when the connection drops (default true); a refused
   *   connect is never retried, since it would be refused again
   * @param {string} [options.transport] 'auto' (default: WebRTC where the browser and the server have it, else the
   *   WebSocket), 'webrtc' or 'websocket'
   */
  constructor(stream, options = {}) {
    super();
    this.#stream = String(stream).replace(/^\/+/, '');
    this.#canvas = options.canvas || null;
    this.#query = new URLSearchParams(options.query || {});
    this.#server = options.server
      ? String(options.server).replace(/^http/, 'ws').replace(/\/+$/, '')
      : (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host;
    this.#onCall = options.onCall || (async () => null);
    this.#reconnect = options.reconnect !== false;
    this.#transport = options.transport || 'auto';
  }

  /**
   * Opens the WebSocket. Resolves when NetStream.Play.Start arrives; rejects with an Error whose message is the
   * server's description (and whose .info is the info object) when the connect is refused or the stream fails.
   * It stays pending while reconnecting. Calling it again returns the same promise: to try again after a
   * refusal, close() this player and make another.
   * @returns {Promise<void>}
   */
  play() {
    if (this.#playPromise) return this.#playPromise;
    if (this.#closed) return Promise.reject(new Error('the player is closed'));
    if (this.#transport !== 'webrtc' && (typeof VideoDecoder === 'undefined' || typeof EncodedVideoChunk === 'undefined')) {
      return Promise.reject(new Error('this browser has no WebCodecs (VideoDecoder), which RendercastPlayer needs'));
    }
    if (!this.#canvas) return Promise.reject(new Error('RendercastPlayer needs options.canvas to play into'));
    this.#painter = new CanvasPainter(this.#canvas.getContext('2d'));
    this.#playPromise = new Promise((resolve, reject) => { this.#played = { resolve, reject }; });
    this.#statsTimer = setInterval(() => this.#tick(), 1000);
    this.#connect();
    return this.#playPromise;
  }

  /**
   * Calls an application procedure, as an RTMP client's call would. Resolves with its _result value; rejects with
   * an Error whose message is the server's description and whose .info is the _error value, or with
   * Error('not connected') when the socket is not open. Calls in flight when the socket closes are rejected.
   */
  call(procedure, ...args) {
    const id = this.#nextCallId++;
    return new Promise((resolve, reject) => {
      if (!this.#send({ type: 'call', procedure, id, args })) return reject(new Error('not connected'));
      this.#pendingCalls.set(id, { resolve, reject });
    });
  }

  /**
   * Asks to steer the broadcast this page watches; the server's policy answers. Resolves with the page's control
   * state ({ role: 'controller' | 'queued', controllers, watchers, position }); rejects with the reason when
   * control is not to be had. The 'control' event follows whenever the state changes.
   */
  requestControl() {
    return this.call('requestControl');
  }

  /** Gives control of the broadcast up, or a place in the queue for it. Resolves with the new state. */
  releaseControl() {
    return this.call('releaseControl');
  }

  /**
   * A call that wants no answer (id 0): for input that comes often, such as moves. Dropped when not connected.
   * Over WebRTC it goes twice on an unordered channel (three times while the path loses video packets), a moment
   * apart and named as one copy: over a lossy path a lost copy costs nothing, where the reliable channel would
   * hold it for the browser's retransmission timeout.
   */
  notify(procedure, ...args) {
    const input = this.#inputChannel;
    if (input && input.readyState === 'open') {
      const text = JSON.stringify({ type: 'call', procedure, id: 0, args, copy: ++this.#copies });
      input.send(text);
      const sends = performance.now() - this.#lossSeenAt < LOSSY_FOR_MS ? 3 : 2;
      for (let copy = 1; copy < sends; copy++) {
        setTimeout(() => { if (input.readyState === 'open') input.send(text); }, copy * INPUT_COPY_DELAY_MS);
      }
      return;
    }
    this.#send({ type: 'call', procedure, id: 0, args });
  }

  /** Closes the socket and the decoder; no reconnect. A closed player stays closed. */
  close() {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#reconnectTimer);
    clearInterval(this.#statsTimer);
    if (this.#socket) {
      this.#socket.onopen = this.#socket.onmessage = this.#socket.onclose = null;
      this.#socket.close(1000);
      this.#socket = null;
    }
    this.#closePeer();
    this.#dropConnection('the player was closed');
    this.#settle(new Error('the player was closed before the stream started'));
    this.#setState('closed');
  }

  /** Live figures, measured here (the server sends none): { state, codec, framesDecoded, fps, decodeMs, latencyMs,
   * latencyFrom, transport, paint, role, reconnects, lastError }. latencyMs stays NaN until a frame's absolute capture time (WebRTC) or
   * the stream's metadata carries the server's clock. paint is how frames go on the canvas, once chosen: 'copy'
   * (copyTo and putImageData) or 'draw' (drawImage); null before. */
  get stats() {
    return { ...this.#stats, paint: this.#painter ? this.#painter.way : null };
  }

  // ---- the socket ----

  async #connect() {
    this.#setState('connecting');
    const webRtc = this.#transport === 'webrtc' || (this.#transport === 'auto' && !this.#webRtcGaveWay
      && typeof RTCPeerConnection !== 'undefined');
    if (webRtc) return this.#connectWebRtc();
    this.#stats.transport = 'websocket';
    const query = new URLSearchParams(this.#query);
    if (!query.has('fourCcList')) query.set('fourCcList', (await decodableFourCcs()).join(','));
    if (this.#closed) return;
    let socket;
    try {
      socket = this.#socket = new WebSocket(this.#server + '/ws/' + this.#stream + '?' + query);
    } catch (error) { // a server address the browser refuses (ws: from an https: page, say): said, not thrown away
      return this.#fail('failed', 'cannot open ' + this.#server + ': ' + (error && error.message ? error.message : error));
    }
    socket.binaryType = 'arraybuffer';
    this.#videoBytes = 0;
    socket.onopen = () => this.#setState('connected');
    socket.onmessage = (event) => {
      if (typeof event.data === 'string') return this.#onText(JSON.parse(event.data));
      // Acknowledged as it comes, before the decoder's work: a proxy or relay beside the server acknowledges for
      // the page at the TCP level, and only the page's own word says what crossed the path behind it.
      this.#videoBytes += event.data.byteLength;
      this.#send({ type: 'received', bytes: this.#videoBytes });
      this.#onVideo(event.data);
    };
    socket.onclose = (event) => this.#onClose(event);
  }

  #onClose(event) {
    this.#socket = null;
    this.#dropConnection('the connection closed');
    if (this.#refused) return; // already reported; trying again would be refused again
    let why = 'the server went away' + (event.reason ? ' (' + event.reason + ')' : '');
    if (this.#retryRefused) { // full or draining: the close that follows is the server's, and we try again
      this.#retryRefused = false;
      why = this.#stats.lastError;
    } else if (event.code === 1008) { // a refusal whose _error did not reach us
      this.#refused = true;
      return this.#fail('refused', event.reason || 'refused by the server');
    }
    if (!this.#reconnect) {
      clearInterval(this.#statsTimer);
      return this.#fail('closed', why);
    }
    this.#stats.lastError = why;
    this.#setState('reconnecting');
    this.#reconnectTimer = setTimeout(() => { this.#stats.reconnects++; this.#connect(); }, this.#reconnectDelay);
    this.#reconnectDelay = Math.min(this.#reconnectDelay * 2, MOST_RECONNECT_DELAY_MS);
  }

  /** What a connection held ends with it: its decoder, and the calls that will now never be answered. */
  #dropConnection(why) {
    this.#closeDecoder();
    if (this.#stats.role !== null) { // a role belongs to a connection: the next one is told its own
      this.#stats.role = null;
      this.#emit('control', null);
    }
    for (const pending of this.#pendingCalls.values()) pending.reject(new Error(why));
    this.#pendingCalls.clear();
  }

  #send(message) {
    if (this.#channel) {
      if (this.#channel.readyState !== 'open') return false;
      this.#channel.send(JSON.stringify(message));
      return true;
    }
    if (!this.#socket || this.#socket.readyState !== WebSocket.OPEN) return false;
    this.#socket.send(JSON.stringify(message));
    return true;
  }

  // ---- WebRTC: WHEP for the offer, the video track drawn on the canvas, the calls on a data channel ----

  async #connectWebRtc() {
    this.#stats.transport = 'webrtc';
    const http = this.#server.replace(/^ws/, 'http');
    const peer = this.#peer = new RTCPeerConnection();
    peer.addTransceiver('video', { direction: 'recvonly' });
    const channel = this.#channel = peer.createDataChannel('rendercast');
    this.#inputChannel = peer.createDataChannel('rendercast-input', { ordered: false });
    channel.onmessage = (event) => this.#onText(JSON.parse(event.data));
    peer.ontrack = (event) => this.#playTrack(event.track);
    let response;
    try {
      const offer = await peer.createOffer();
      const asked = withAbsoluteCaptureTime(offer.sdp);
      try {
        await peer.setLocalDescription({ type: 'offer', sdp: asked });
      } catch (mungingRefused) { // a browser that takes no changed offer: glass to glass from the stream's clock
        await peer.setLocalDescription(offer);
      }
      response = await fetch(http + '/whep/' + this.#stream + '?' + this.#query, {
        method: 'POST', body: peer.localDescription.sdp, headers: { 'Content-Type': 'application/sdp' } });
    } catch (error) {
      return this.#webRtcFailed('cannot reach ' + http + ': ' + (error && error.message ? error.message : error));
    }
    if (this.#peer !== peer) return; // closed meanwhile
    const text = await response.text();
    if ((response.status === 503 || response.status === 406) && this.#transport === 'auto') {
      // A server without WebRTC, one too full for it now, or a stream in a codec this browser's WebRTC lacks.
      return this.#giveWayToWebSocket();
    }
    if (response.status === 403 || response.status === 404) {
      this.#closePeer();
      this.#refused = true;
      return this.#fail('refused', text.trim() || 'refused by the server');
    }
    if (response.status !== 201) return this.#webRtcFailed('WHEP answered ' + response.status + ': ' + text.trim());
    this.#whepSession = new URL(response.headers.get('Location'), http).href;
    await peer.setRemoteDescription({ type: 'answer', sdp: text });
    this.#stats.codec = /a=rtpmap:\d+ AV1\//.test(text) ? 'av1' : 'h264';
    this.#setState('connected');
    const giveUp = setTimeout(() => {
      if (this.#peer === peer && peer.connectionState !== 'connected') {
        if (this.#transport === 'auto') this.#giveWayToWebSocket();
        else this.#webRtcFailed('WebRTC did not connect within ' + WEBRTC_CONNECT_MS + ' ms');
      }
    }, WEBRTC_CONNECT_MS);
    let watch = null;
    peer.onconnectionstatechange = () => {
      if (this.#peer !== peer) return;
      if (peer.connectionState === 'connected') {
        clearTimeout(giveUp);
        if (watch === null) watch = this.#watchSilence(peer);
      }
      if (peer.connectionState === 'failed' || peer.connectionState === 'closed') {
        clearTimeout(giveUp);
        this.#webRtcFailed('the WebRTC connection ' + peer.connectionState);
      }
    };
  }

  /**
   * Gives the path up once nothing at all (media, RTCP, the data channels) has come over it for WEBRTC_SILENT_MS;
   * the watch ends with the peer connection. It also notes when the video last lost a packet (the browser asked
   * for one again, or counts one lost), for the copies notify() sends.
   */
  #watchSilence(peer) {
    let received = -1;
    let since = performance.now();
    let losses = 0;
    const watch = setInterval(async () => {
      if (this.#peer !== peer) return clearInterval(watch);
      let bytes = 0;
      let lost = 0;
      (await peer.getStats()).forEach(s => {
        if (s.type === 'transport') bytes += s.bytesReceived || 0;
        if (s.type === 'inbound-rtp') lost += (s.nackCount || 0) + Math.max(0, s.packetsLost || 0);
      });
      if (this.#peer !== peer) return clearInterval(watch);
      const now = performance.now();
      if (lost > losses) this.#lossSeenAt = now;
      losses = lost;
      if (bytes !== received) {
        received = bytes;
        since = now;
      } else if (now - since >= WEBRTC_SILENT_MS) {
        clearInterval(watch);
        this.#webRtcFailed('nothing came over WebRTC for ' + Math.round((now - since) / 1000) + ' s');
      }
    }, WEBRTC_WATCH_MS);
    return watch;
  }

  /** WebRTC is not to be had here: the WebSocket from now on, for this player. */
  #giveWayToWebSocket() {
    this.#closePeer();
    this.#webRtcGaveWay = true;
    this.#connect();
  }

  /** The WebRTC path dropped or never came up: as a WebSocket that closed, reconnect with backoff. */
  #webRtcFailed(why) {
    this.#closePeer();
    this.#onClose({ code: 1006, reason: why });
  }

  /** Ends the WebRTC session, here and on the server (WHEP's DELETE). */
  #closePeer() {
    if (this.#whepSession) {
      fetch(this.#whepSession, { method: 'DELETE', keepalive: true }).catch(() => {});
      this.#whepSession = null;
    }
    if (this.#peer) {
      this.#peer.ontrack = this.#peer.onconnectionstatechange = null;
      this.#peer.close();
      this.#peer = null;
    }
    this.#inputChannel = null;
    if (this.#channel) {
      this.#channel.onmessage = null;
      this.#channel = null;
    }
    if (this.#trackReader) {
      this.#trackReader.cancel().catch(() => {});
      this.#trackReader = null;
    }
    if (this.#video) {
      this.#video.srcObject = null;
      this.#video.remove();
      this.#video = null;
    }
  }

  /**
   * Each frame of the track is drawn on the canvas, stamped with its RTP timestamp, which the server takes from the
   * frame's own (90 kHz): the same timestamp the WebSocket path carries, for the same latency figures. Where the
   * browser hands decoded frames out (MediaStreamTrackProcessor, with each frame's RTP timestamp in its metadata),
   * they are drawn as they come, as the WebSocket path draws what WebCodecs decodes; else through a video element
   * kept out of sight, whose frames come a compositor's frame later (bench network-page, two runs of the loopback
   * cell: input to photon p50 70 against 93 ms, the draw itself 14 against 17 ms).
   */
  #playTrack(track) {
    let reader = null;
    if (typeof MediaStreamTrackProcessor === 'function') {
      try {
        reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
      } catch (refused) {
        reader = null;
      }
    }
    if (reader) this.#readTrack(reader, track);
    else this.#showTrack(track);
  }

  /** Draws the track's frames as the browser decodes them, until the peer closes (it cancels the reader). */
  async #readTrack(reader, track) {
    this.#trackReader = reader;
    for (;;) {
      let next;
      try {
        next = await reader.read();
      } catch (cancelled) {
        return;
      }
      if (next.done) return;
      const frame = next.value;
      try {
        if (this.#trackReader !== reader) return;
        const rtpTimestamp = frame.metadata ? frame.metadata().rtpTimestamp : undefined;
        if (rtpTimestamp === undefined) {
          // Frames without their RTP timestamp (Chrome before 146): the video element's callback has it. A clone,
          // as a cancelled reader may end the track it read.
          const clone = track.clone();
          this.#trackReader = null;
          reader.cancel().catch(() => {});
          this.#showTrack(clone);
          return;
        }
        await this.#drawTrackPicture(frame, frame.displayWidth, frame.displayHeight, Math.round(rtpTimestamp / 90),
            this.#capturedAt(rtpTimestamp));
      } catch (notDrawn) {
        // one frame the canvas could not take: the next may be
      } finally {
        frame.close(); // a frame held open stalls the track
      }
    }
  }

  /** Plays the track in a video element kept out of sight and draws each frame it shows. */
  #showTrack(track) {
    const video = this.#video = document.createElement('video');
    video.muted = true;
    video.autoplay = true;
    video.playsInline = true;
    video.style.cssText = 'position:fixed;left:0;top:0;width:2px;height:2px;opacity:0;pointer-events:none';
    video.srcObject = new MediaStream([track]);
    document.body.appendChild(video);
    const onFrame = (now, metadata) => {
      if (this.#video !== video) return;
      this.#drawTrackPicture(video, video.videoWidth, video.videoHeight, Math.round((metadata.rtpTimestamp || 0) / 90),
          this.#capturedAt(metadata.rtpTimestamp)).catch(() => { /* one frame the canvas could not take */ });
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
    video.play().catch(() => {});
  }

  /**
   * When the frame of RTP timestamp {@code rtpTimestamp} was rendered, in ms since 1970 on the server's clock, from
   * the absolute capture time the server sends (the page's offer asked for it): the stream's source says the latest
   * it got and the RTP timestamp that came with it, and the frame is as far from it as their RTP timestamps are (the
   * media clock runs at 90 kHz), as the browser's own interpolation has it. NaN where none came.
   */
  #capturedAt(rtpTimestamp) {
    const receiver = this.#peer && this.#peer.getReceivers()[0];
    if (!receiver || rtpTimestamp === undefined) return NaN;
    const source = receiver.getSynchronizationSources().find(s => s.captureTimestamp);
    if (!source) return NaN;
    const apart = ((rtpTimestamp - source.rtpTimestamp) | 0) / 90; // RTP timestamps wrap at 32 bits
    return source.captureTimestamp - NTP_TO_UNIX_MS + apart;
  }

  /** Draws a picture of the track, a video element's or a decoded frame, {@code width} by {@code height}. */
  async #drawTrackPicture(picture, width, height, timestamp, capturedAt) {
    await this.#paint(picture, width, height);
    this.#shown(timestamp, capturedAt);
  }

  /**
   * Puts {@code picture} on the canvas, the canvas sized to its {@code width} by {@code height} where the metadata
   * gave no size; resolves once it is there.
   */
  #paint(picture, width, height) {
    const canvas = this.#canvas;
    if (!this.#sizedByMetadata && (canvas.width !== width || canvas.height !== height)) {
      canvas.width = width;
      canvas.height = height;
    }
    return this.#painter.paint(picture);
  }

  // ---- text messages ----

  #onText(message) {
    switch (message.type) {
      case 'result':
      case 'error': return this.#onAnswer(message);
      case 'status': return this.#onStatus(message);
      case 'data':
        if (message.name === 'onMetaData' && message.values && message.values.length > 0) {
          this.#onMetaData(message.values[0]);
        } else if (message.name === 'onControl' && message.values && message.values.length > 0) {
          this.#stats.role = message.values[0].role;
          this.#emit('control', message.values[0]);
        }
        return;
      case 'call': return this.#answerServerCall(message);
      default: return; // 'event' (streamBegin, streamEnd): the statuses say the same
    }
  }

  #onAnswer(message) {
    const pending = this.#pendingCalls.get(message.id);
    if (pending) {
      this.#pendingCalls.delete(message.id);
      if (message.type === 'result') return pending.resolve(message.value);
      const error = new Error(describe(message.value));
      error.info = message.value;
      pending.reject(error);
    } else if (message.type === 'error' && message.id === 1 && message.value && message.value.rendercastRetry) {
      // A full or draining server: not the page's fault; the close follows, then a reconnect (the balancer may
      // send it to another node).
      this.#retryRefused = true;
      this.#stats.lastError = describe(message.value);
    } else if (message.type === 'error' && message.id === 1) {
      // The connect was refused (a wrong token, say); a close frame 1008 follows.
      this.#refused = true;
      this.#fail('refused', describe(message.value), message.value);
    }
  }

  #onStatus(message) {
    const { level, code, description } = message;
    this.#emit('status', { level, code, description });
    if (level === 'error' && message.rendercastRetry && this.#socket) {
      // Too full to play it now: not the page's fault. Close, and connect again after a while (the balancer may
      // send us to another node).
      this.#retryRefused = true;
      this.#stats.lastError = description || code;
      this.#socket.close();
    } else if (level === 'error') {
      // Play refused (the socket stays open) or failed (NetStream.Failed: the socket closes, so we reconnect).
      this.#fail('failed', description || code, { level, code, description });
    } else if (code === 'NetStream.Play.Start') {
      this.#reconnectDelay = FIRST_RECONNECT_DELAY_MS;
      this.#setState('playing');
      this.#settle();
    } else if (code === 'NetStream.Play.Stop') {
      this.#setState('stopped');
    }
  }

  #onMetaData(metadata) {
    if (metadata.width && metadata.height) {
      this.#canvas.width = metadata.width;
      this.#canvas.height = metadata.height;
      this.#sizedByMetadata = true;
    }
    // The wall-clock time of timestamp 0; JSON writes a missing one as null, which must not read as 0.
    this.#clockEpochMillis = Number(metadata.rendercastClockEpochMillis ?? NaN);
    this.#emit('metadata', metadata);
  }

  /** The server called the page (connection.call): the answer is onCall's value, or its failure as an _error. */
  async #answerServerCall(message) {
    let answer;
    try {
      const value = await this.#onCall(message.procedure, message.args || []);
      answer = { type: 'result', id: message.id, value: value ?? null };
    } catch (error) {
      answer = { type: 'error', id: message.id, value: String(error && error.message ? error.message : error) };
    }
    this.#send(answer);
  }

  // ---- video: a 4-byte big-endian timestamp, then the FLV video tag body as RTMP carries it ----

  #onVideo(buffer) {
    if (buffer.byteLength < 9) return; // too short for a configuration record or a frame
    const view = new DataView(buffer);
    const timestamp = view.getUint32(0);
    const head = view.getUint8(4);
    if (head & 0x80) {
      // Enhanced RTMP: frame type in bits 4 to 6, packet type in the low nibble, then a FourCC.
      const fourCc = String.fromCharCode(...new Uint8Array(buffer, 5, 4));
      const packetType = head & 0x0f;
      if (packetType === 0) {
        const record = new Uint8Array(buffer, 9);
        const codec = fourCc === 'av01' ? av1CodecString(record) : fourCc === 'hvc1' ? hevcCodecString(record) : null;
        if (codec) this.#configure(codec, record);
        else this.#fail('failed', 'no decoder here for ' + fourCc);
      } else if (packetType === 1 || packetType === 3) {
        // HEVC's type 1 carries a composition time before its data; its type 3, and AV1's type 1, do not.
        const offset = packetType === 1 && fourCc === 'hvc1' ? 12 : 9;
        this.#decode(timestamp, ((head >> 4) & 7) === 1, new Uint8Array(buffer, offset));
      }
      return;
    }
    if ((head & 0x0f) !== 7) {
      const why = 'codec ' + (head & 0x0f) + ' is not one this player decodes';
      if (this.#stats.lastError !== why) this.#fail('failed', why); // once, not at every frame
      return;
    }
    // H.264: byte 5 is the AVCPacketType; 0 is the AVCDecoderConfigurationRecord, 1 length-prefixed NAL units.
    const packetType = view.getUint8(5);
    if (packetType === 0) {
      const record = new Uint8Array(buffer, 9);
      const hex = (b) => b.toString(16).padStart(2, '0');
      this.#configure('avc1.' + hex(record[1]) + hex(record[2]) + hex(record[3]), record);
    } else if (packetType === 1) {
      this.#decode(timestamp, (head >> 4) === 1, new Uint8Array(buffer, 9));
    }
  }

  /** A configuration record arrived: a decoder for its codec, with the record as its description. */
  #configure(codec, record) {
    this.#closeDecoder();
    this.#stats.codec = codec;
    this.#decoderConfig = { codec, description: record.slice(), optimizeForLatency: true };
    this.#openDecoder();
  }

  #openDecoder() {
    this.#decodeStarted.clear();
    this.#inDecoder = 0;
    this.#waitingForKey = true;
    this.#decoder = new VideoDecoder({
      output: (frame) => this.#draw(frame),
      // A decoder that fails closes itself; #decode opens another at the next key frame.
      error: (error) => { this.#stats.lastError = String(error); }
    });
    try {
      this.#decoder.configure(this.#decoderConfig);
    } catch (error) {
      this.#stats.lastError = String(error);
    }
  }

  #decode(timestamp, keyFrame, data) {
    if (this.#waitingForKey && !keyFrame) return; // a delta frame means nothing before a key frame
    if (keyFrame && this.#decoderConfig && this.#decoder && this.#decoder.state === 'closed') this.#openDecoder();
    if (!this.#decoder || this.#decoder.state !== 'configured') return;
    if (this.#decodeStarted.size > 100) this.#decodeStarted.clear(); // frames the decoder dropped would stay here
    this.#waitingForKey = false;
    this.#decodeStarted.set(timestamp, performance.now());
    try {
      const type = keyFrame ? 'key' : 'delta';
      this.#decoder.decode(new EncodedVideoChunk({ type, timestamp: timestamp * 1000, data }));
      this.#inDecoder++;
    } catch (error) {
      this.#stats.lastError = String(error);
      this.#waitingForKey = true;
    }
  }

  #closeDecoder() {
    if (this.#decoder && this.#decoder.state !== 'closed') this.#decoder.close();
    this.#decoder = null;
    this.#decodeStarted.clear();
    this.#inDecoder = 0;
  }

  /** Each frame is drawn as soon as it is decoded: the least latency, at the cost of no smoothing of jitter. */
  #draw(frame) {
    const timestamp = Math.round(frame.timestamp / 1000);
    const started = this.#decodeStarted.get(timestamp);
    this.#decodeStarted.delete(timestamp);
    if (started !== undefined) this.#stats.decodeMs = performance.now() - started;
    const decoder = this.#decoder;
    this.#paint(frame, frame.displayWidth, frame.displayHeight)
      .finally(() => frame.close()) // a frame held open stalls the decoder
      .then(() => {
        if (this.#decoder !== decoder) return; // a frame of a connection or decoder since closed
        this.#shown(timestamp);
        // Told once the frame is on the canvas, and after the page's own work on it, with the frames still waiting
        // in the decoder: a device that decodes slower than frames come gets fewer of them, where the path gets a
        // lower rate.
        this.#inDecoder = Math.max(0, this.#inDecoder - 1);
        this.#send({ type: 'drawn', timestamp, waiting: this.#inDecoder });
      }, (notDrawn) => { this.#stats.lastError = String(notDrawn); });
  }

  /**
   * A frame is on the canvas: counted, timed from its render tick, and told to the page's listeners. The render tick
   * is the absolute capture time that came with it where one did (WebRTC), else the stream's clock at its timestamp.
   */
  #shown(timestamp, capturedAt = NaN) {
    this.#stats.framesDecoded++;
    this.#framesThisSecond++;
    // Glass to glass: from the render tick to now, taking the server's clock to agree with ours.
    const now = performance.timeOrigin + performance.now();
    if (!Number.isNaN(capturedAt)) {
      this.#stats.latencyMs = now - capturedAt;
      this.#stats.latencyFrom = 'abs-capture-time';
    } else if (!Number.isNaN(this.#clockEpochMillis)) {
      this.#stats.latencyMs = now - (this.#clockEpochMillis + timestamp);
      this.#stats.latencyFrom = 'stream-clock';
    }
    this.#emit('frame', { timestamp });
  }

  // ---- state and events ----

  #tick() {
    this.#stats.fps = this.#framesThisSecond;
    this.#framesThisSecond = 0;
    this.#emit('stats', this.stats);
  }

  #setState(state) {
    if (this.#stats.state === state) return;
    this.#stats.state = state;
    this.#emit('statechange', state);
  }

  /** A refusal or failure: the state, an 'error' event, and play()'s rejection if it is still waiting. */
  #fail(state, message, info) {
    this.#stats.lastError = message;
    this.#setState(state);
    this.#emit('error', { message });
    const error = new Error(message);
    if (info !== undefined) error.info = info;
    this.#settle(error);
  }

  #settle(error) {
    const played = this.#played;
    this.#played = null;
    if (played && error) played.reject(error);
    else if (played) played.resolve();
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

/**
 * The offer with the absolute capture time asked for in its video section, under the first header extension id it
 * leaves free, of those a one-byte header holds (1 to 14): Chromium takes the extension but does not offer it. The
 * offer as it was where none is free, or where it has the extension already.
 */
function withAbsoluteCaptureTime(sdp) {
  const start = sdp.indexOf('\r\nm=video');
  if (start < 0 || sdp.includes(ABS_CAPTURE_TIME)) return sdp;
  const next = sdp.indexOf('\r\nm=', start + 2);
  const end = next < 0 ? sdp.replace(/\r\n$/, '').length : next;
  // Ids are the bundle's, not one section's: another section's (audio's, say) would clash.
  const used = new Set([...sdp.matchAll(/\r\na=extmap:([0-9]+)/g)].map(m => Number(m[1])));
  let id = 1;
  while (used.has(id)) id++;
  if (id > 14) return sdp;
  return sdp.slice(0, end) + '\r\na=extmap:' + id + ' ' + ABS_CAPTURE_TIME + sdp.slice(end);
}

/** An _error value as text: an info object's description (or code), or the value itself. */
function describe(value) {
  if (value && typeof value === 'object') return value.description || value.code || JSON.stringify(value);
  return String(value);
}

/**
 * Puts decoded frames on a 2D canvas, by whichever of two ways is quicker in this browser, one frame at a time.
 * drawImage converts a frame's YUV to RGB in the canvas: at once where the canvas is on a GPU, but where it is not
 * (Chromium with no GPU, as on this project's build machines) Skia converts it pixel by pixel, 14 to 22 ms a 720p
 * frame, against 1 to 4 ms for VideoFrame.copyTo's conversion to RGBA and putImageData, which give the same pixels.
 * On a GPU copyTo would read the frame back, so the first frames go each way in turn and the quicker way is kept.
 */
class CanvasPainter {
  static #TRIALS = 5; // frames put each way before it chooses
  #ctx; #image = null; #chosen = null; #last = Promise.resolve();
  #times = { draw: [], copy: [] };

  constructor(ctx) {
    this.#ctx = ctx;
  }

  /** 'copy' or 'draw' once chosen, else null. */
  get way() {
    return this.#chosen;
  }

  /** Puts a picture (a VideoFrame or a video element) on the whole canvas; resolves once it is there. */
  paint(picture) {
    const painted = this.#last.then(() => this.#put(picture));
    this.#last = painted.catch(() => {});
    return painted;
  }

  async #put(picture) {
    const copyable = this.#canCopy(picture);
    const way = !copyable ? 'draw' : this.#chosen
      ?? (this.#times.copy.length <= this.#times.draw.length ? 'copy' : 'draw');
    const started = performance.now();
    if (way === 'copy') {
      try {
        await this.#copy(picture);
      } catch (refused) { // a browser whose copyTo has no RGBA: draw, from now on
        this.#chosen = 'draw';
        this.#draw(picture);
        return;
      }
    } else {
      this.#draw(picture);
    }
    if (this.#chosen === null && copyable) this.#timed(way, performance.now() - started);
  }

  /** A frame in memory the size of the canvas: put unscaled, where putImageData cannot scale. */
  #canCopy(picture) {
    const canvas = this.#ctx.canvas;
    return typeof VideoFrame !== 'undefined' && picture instanceof VideoFrame && picture.format !== null
      && picture.visibleRect.width === canvas.width && picture.visibleRect.height === canvas.height
      && picture.displayWidth === canvas.width && picture.displayHeight === canvas.height;
  }

  #timed(way, ms) {
    this.#times[way].push(ms);
    const { draw, copy } = this.#times;
    if (draw.length >= CanvasPainter.#TRIALS && copy.length >= CanvasPainter.#TRIALS) {
      // Each way's quickest: the first copyTo sets itself up (39 ms here, then 0.5), and a busy moment of the page
      // slows any one frame; a median of four chose drawImage once in a CI run.
      this.#chosen = Math.min(...copy) < Math.min(...draw) ? 'copy' : 'draw';
    }
  }

  #draw(picture) {
    const canvas = this.#ctx.canvas;
    this.#ctx.drawImage(picture, 0, 0, canvas.width, canvas.height);
  }

  async #copy(frame) {
    const { width, height } = frame.visibleRect;
    if (!this.#image || this.#image.width !== width || this.#image.height !== height) {
      this.#image = new ImageData(width, height);
    }
    await frame.copyTo(this.#image.data, { format: 'RGBA' });
    this.#ctx.putImageData(this.#image, 0, 0);
  }
}

let fourCcs = null;

/**
 * The FourCCs this browser decodes, for the server's choice of codec (as an Enhanced RTMP client's fourCcList):
 * H.264 always, AV1 and HEVC where WebCodecs has them. Asked once per page.
 */
function decodableFourCcs() {
  fourCcs ??= (async () => {
    const candidates = { av01: 'av01.0.08M.08', hvc1: 'hvc1.1.6.L93.B0' };
    const found = ['avc1'];
    for (const [fourCc, codec] of Object.entries(candidates)) {
      try {
        if ((await VideoDecoder.isConfigSupported({ codec })).supported) found.push(fourCc);
      } catch (e) {
        // not this one
      }
    }
    return found;
  })();
  return fourCcs;
}

/** av01.P.LLT.DD from an AV1CodecConfigurationRecord. */
function av1CodecString(record) {
  const profile = record[1] >> 5;
  const level = record[1] & 0x1f;
  const tier = record[2] >> 7 ? 'H' : 'M';
  const depth = (record[2] >> 5) & 1 ? 12 : (record[2] >> 6) & 1 ? 10 : 8;
  return 'av01.' + profile + '.' + String(level).padStart(2, '0') + tier + '.' + String(depth).padStart(2, '0');
}

/** hvc1.{space}{profile}.{compatibility}.{tier}{level}.{constraints} from an HEVCDecoderConfigurationRecord. */
function hevcCodecString(record) {
  const space = ['', 'A', 'B', 'C'][record[1] >> 6];
  const tier = (record[1] >> 5) & 1 ? 'H' : 'L';
  const profile = record[1] & 0x1f;
  let compatibility = ((record[2] << 24) | (record[3] << 16) | (record[4] << 8) | record[5]) >>> 0;
  let reversed = 0; // the codec string writes the compatibility flags in reverse bit order
  for (let i = 0; i < 32; i++) {
    reversed = ((reversed << 1) | (compatibility & 1)) >>> 0;
    compatibility >>>= 1;
  }
  const constraints = Array.from(record.subarray(6, 12));
  while (constraints.length > 0 && constraints[constraints.length - 1] === 0) constraints.pop();
  const parts = ['hvc1', space + profile, reversed.toString(16), tier + record[12]];
  return parts.concat(constraints.map((b) => b.toString(16))).join('.');
}
