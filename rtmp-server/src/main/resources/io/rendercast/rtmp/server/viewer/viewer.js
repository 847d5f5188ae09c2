// The Rendercast viewer: plays a stream the server renders, decoding each frame with WebCodecs as it arrives
// and drawing it at once (no media element's buffer in the way), and sends the user's input back as the calls
// an RTMP client would make. Without WebCodecs it falls back to FLV through mpegts.js.
//
// The page plays ?stream=APP/STREAM (live/demo by default); every other query parameter goes to the server's
// connect handlers, as an RTMP client's connect arguments do (a token, say).
(() => {
  'use strict';
  const params = new URLSearchParams(location.search);
  const stream = params.get('stream') || 'live/demo';
  const benchEvents = Number(params.get('bench') || 0);
  const passOn = new URLSearchParams(params);
  passOn.delete('stream');
  passOn.delete('bench');
  passOn.delete('flv');
  const query = passOn.toString() ? '?' + passOn.toString() : '';
  const origin = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host;

  const canvas = document.getElementById('screen');
  const ctx = canvas.getContext('2d');
  const video = document.getElementById('fallback');
  const statusEl = document.getElementById('status');
  const statsEl = document.getElementById('stats');

  const stats = {
    path: null, codec: null, state: 'connecting', reason: null, framesDecoded: 0, fps: 0, decodeMs: 0,
    latencyMs: NaN, reconnects: 0, lastError: null
  };
  const frameWatchers = new Set();
  let socket = null;
  let decoder = null;
  let waitingForKey = true;
  let clockEpochMillis = NaN;
  let nextCallId = 3; // 1 and 2 are the connect and createStream the server makes for the page
  const pendingCalls = new Map();
  const decodeStarted = new Map();
  let refused = false;
  let reconnectDelay = 500;
  let framesThisSecond = 0;

  function setStatus(text, state, isError) {
    stats.state = state;
    statusEl.textContent = text;
    statusEl.classList.toggle('error', !!isError);
  }

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(message));
      return true;
    }
    return false;
  }

  /** Calls a procedure on the server, as an RTMP client would; resolves with its _result. */
  function call(procedure, args) {
    if (stats.path === 'flv') {
      notify(procedure, args); // an FLV stream carries no answers back
      return Promise.resolve(undefined);
    }
    const id = nextCallId++;
    return new Promise((resolve, reject) => {
      pendingCalls.set(id, { resolve, reject });
      if (!send({ type: 'call', procedure, id, args })) {
        pendingCalls.delete(id);
        reject(new Error('not connected'));
      }
    });
  }

  /** A call that wants no answer (transaction id 0). */
  function notify(procedure, args) {
    send({ type: 'call', procedure, id: 0, args });
  }

  // ---- WebCodecs over the viewer's WebSocket ----

  /**
   * The FourCCs this browser decodes, for the server's choice of codec (as an Enhanced RTMP client's
   * fourCcList): H.264 always, AV1 and HEVC where WebCodecs has them.
   */
  async function decodableFourCcs() {
    const candidates = { av01: 'av01.0.08M.08', hvc1: 'hvc1.1.6.L93.B0' };
    const found = ['avc1'];
    for (const [fourCc, codec] of Object.entries(candidates)) {
      try {
        if ((await VideoDecoder.isConfigSupported({ codec })).supported) {
          found.push(fourCc);
        }
      } catch (e) {
        // not this one
      }
    }
    return found;
  }

  async function connect() {
    if (!('VideoDecoder' in window) || params.has('flv')) {
      playFlv();
      return;
    }
    stats.path = 'webcodecs';
    const fourCcs = params.get('fourCcList') || (await decodableFourCcs()).join(',');
    const withCodecs = query + (query ? '&' : '?') + 'fourCcList=' + fourCcs;
    socket = new WebSocket(origin + '/ws/' + stream + (params.has('fourCcList') ? query : withCodecs));
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => setStatus('connected; waiting for ' + stream, 'connected');
    socket.onmessage = (event) => {
      if (typeof event.data === 'string') {
        onText(JSON.parse(event.data));
      } else {
        onVideo(event.data);
      }
    };
    socket.onclose = (event) => {
      closeDecoder();
      if (refused) {
        return; // the reason is on screen; trying again would be refused again
      }
      const why = event.reason ? ' (' + event.reason + ')' : '';
      setStatus('the server went away' + why + '; reconnecting in ' + (reconnectDelay / 1000) + ' s…',
        'reconnecting', true);
      setTimeout(() => { stats.reconnects++; connect(); }, reconnectDelay);
      reconnectDelay = Math.min(reconnectDelay * 2, 10000);
    };
  }

  function onText(message) {
    switch (message.type) {
      case 'result':
      case 'error': {
        const pending = pendingCalls.get(message.id);
        if (pending) {
          pendingCalls.delete(message.id);
          if (message.type === 'result') {
            pending.resolve(message.value);
          } else {
            pending.reject(message.value);
          }
        } else if (message.type === 'error' && message.id === 1) {
          refused = true;
          stats.reason = describe(message.value);
          setStatus('refused by the server: ' + stats.reason, 'refused', true);
        }
        break;
      }
      case 'status':
        if (message.level === 'error') {
          stats.reason = message.code + ': ' + message.description;
          setStatus(stats.reason, 'failed', true);
        } else if (message.code === 'NetStream.Play.Start') {
          reconnectDelay = 500;
          setStatus('playing ' + stream + ' (WebCodecs' + (stats.codec ? ', ' + stats.codec : '') + ')', 'playing');
        } else if (message.code === 'NetStream.Play.Stop') {
          setStatus('the stream stopped', 'stopped');
        }
        break;
      case 'data':
        if (message.name === 'onMetaData' && message.values.length > 0) {
          const metadata = message.values[0];
          if (metadata.width && metadata.height) {
            canvas.width = metadata.width;
            canvas.height = metadata.height;
          }
          clockEpochMillis = metadata.rendercastClockEpochMillis;
        }
        break;
      case 'call':
        answerServerCall(message);
        break;
      default:
        break;
    }
  }

  function describe(value) {
    if (value && typeof value === 'object') {
      return value.description || value.code || JSON.stringify(value);
    }
    return String(value);
  }

  /** The server called the page (connection.call): the application may set window.rendercast.onCall. */
  function answerServerCall(message) {
    Promise.resolve()
      .then(() => window.rendercast.onCall(message.procedure, message.args))
      .then((value) => send({ type: 'result', id: message.id, value: value === undefined ? null : value }),
        (error) => send({ type: 'error', id: message.id, value: String(error) }));
  }

  function onVideo(buffer) {
    if (buffer.byteLength < 6) {
      return;
    }
    const view = new DataView(buffer);
    const timestamp = view.getUint32(0);
    const head = view.getUint8(4);
    if (head & 0x80) {
      onEnhancedVideo(buffer, timestamp, head);
      return;
    }
    if ((head & 0x0f) !== 7) {
      stats.lastError = 'codec ' + (head & 0x0f) + ' is not one this page decodes';
      return;
    }
    const packetType = view.getUint8(5);
    if (packetType === 0) {
      const record = new Uint8Array(buffer, 9);
      const hex = (b) => b.toString(16).padStart(2, '0');
      configure('avc1.' + hex(record[1]) + hex(record[2]) + hex(record[3]), record);
    } else if (packetType === 1) {
      decode(timestamp, (head >> 4) === 1, new Uint8Array(buffer, 9));
    }
  }

  /** Enhanced RTMP: a FourCC after the first byte, whose low nibble is the packet type. */
  function onEnhancedVideo(buffer, timestamp, head) {
    const bytes = new Uint8Array(buffer, 5);
    const fourCc = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
    const packetType = head & 0x0f;
    const keyFrame = ((head >> 4) & 7) === 1;
    if (packetType === 0) {
      const record = new Uint8Array(buffer, 9);
      const codec = fourCc === 'av01' ? av1CodecString(record) : fourCc === 'hvc1' ? hevcCodecString(record) : null;
      if (!codec) {
        stats.lastError = 'no decoder here for ' + fourCc;
        setStatus('this page cannot decode ' + fourCc, 'failed', true);
        return;
      }
      configure(codec, record);
    } else if (packetType === 1 || packetType === 3) {
      // Coded frames; HEVC's type 1 carries a composition time first, its type 3 and AV1's do not.
      const offset = packetType === 1 && fourCc === 'hvc1' ? 12 : 9;
      decode(timestamp, keyFrame, new Uint8Array(buffer, offset));
    }
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
    let reversed = 0;
    for (let i = 0; i < 32; i++) {
      reversed = ((reversed << 1) | (compatibility & 1)) >>> 0;
      compatibility >>>= 1;
    }
    const constraints = Array.from(record.subarray(6, 12));
    while (constraints.length > 0 && constraints[constraints.length - 1] === 0) {
      constraints.pop();
    }
    const parts = ['hvc1', space + profile, reversed.toString(16), tier + record[12]];
    return parts.concat(constraints.map((b) => b.toString(16))).join('.');
  }

  /** A configuration record arrived: a decoder for its codec, with the record as its description. */
  function configure(codec, record) {
    closeDecoder();
    stats.codec = codec;
    decoder = new VideoDecoder({
      output: drawFrame,
      error: (error) => { stats.lastError = String(error); waitingForKey = true; }
    });
    decoder.configure({ codec, description: record.slice(), optimizeForLatency: true });
    waitingForKey = true;
    if (stats.state === 'playing') {
      setStatus('playing ' + stream + ' (WebCodecs, ' + codec + ')', 'playing');
    }
  }

  function decode(timestamp, keyFrame, data) {
    if (!decoder || decoder.state !== 'configured' || (waitingForKey && !keyFrame)) {
      return;
    }
    waitingForKey = false;
    decodeStarted.set(timestamp, performance.now());
    decoder.decode(new EncodedVideoChunk({ type: keyFrame ? 'key' : 'delta', timestamp: timestamp * 1000, data }));
  }

  function closeDecoder() {
    if (decoder && decoder.state !== 'closed') {
      decoder.close();
    }
    decoder = null;
    decodeStarted.clear();
  }

  function drawFrame(frame) {
    const timestamp = Math.round(frame.timestamp / 1000);
    const started = decodeStarted.get(timestamp);
    decodeStarted.delete(timestamp);
    if (started !== undefined) {
      stats.decodeMs = performance.now() - started;
    }
    ctx.drawImage(frame, 0, 0, canvas.width, canvas.height);
    frame.close();
    frameShown(timestamp);
  }

  function frameShown(timestamp) {
    stats.framesDecoded++;
    framesThisSecond++;
    if (timestamp !== undefined && !Number.isNaN(clockEpochMillis)) {
      // Glass to glass: from the render tick this frame carries to now, on the server's clock.
      stats.latencyMs = performance.timeOrigin + performance.now() - (clockEpochMillis + timestamp);
    }
    for (const watcher of frameWatchers) {
      watcher(timestamp);
    }
  }

  // ---- FLV through mpegts.js, where WebCodecs is missing (or ?flv=1) ----
  //
  // mpegts.js demuxes the FLV stream into Media Source Extensions and a hidden <video>; each of its frames is
  // drawn onto the canvas, so that the page looks and steers the same. The WebSocket is the page's own (a loader
  // mpegts.js is given), so the page's input goes out on the same connection, as calls that want no answer:
  // an FLV stream has no place for answers.

  class FlvSocketLoader {
    constructor() {
      this._status = 0; // mpegts.js's LoaderStatus: idle, connecting, buffering, error, complete
      this._received = 0;
      this._ws = null;
      this._aborted = false;
      this.onContentLengthKnown = null;
      this.onURLRedirect = null;
      this.onDataArrival = null;
      this.onError = null;
      this.onComplete = null;
    }

    get type() { return 'rendercast-websocket-flv'; }
    get status() { return this._status; }
    get needStashBuffer() { return false; }
    isWorking() { return this._status === 1 || this._status === 2; }

    open(dataSource) {
      const ws = this._ws = new WebSocket(dataSource.url);
      socket = ws;
      ws.binaryType = 'arraybuffer';
      this._status = 1;
      ws.onopen = () => { this._status = 2; };
      ws.onmessage = (event) => {
        if (typeof event.data === 'string') {
          return;
        }
        const start = this._received;
        this._received += event.data.byteLength;
        if (this.onDataArrival) {
          this.onDataArrival(event.data, start, this._received);
        }
      };
      ws.onclose = (event) => {
        if (this._aborted) {
          return;
        }
        this._status = 4;
        if (event.code === 1008) {
          refused = true;
          stats.reason = event.reason;
          setStatus('refused by the server: ' + event.reason, 'refused', true);
        } else {
          setStatus('the server went away; reload to play again', 'stopped', true);
        }
        if (this.onComplete) {
          this.onComplete(0, this._received - 1);
        }
      };
      ws.onerror = () => {
        this._status = 3;
        if (this.onError) {
          this.onError('Exception', { code: -1, msg: 'the WebSocket failed' });
        }
      };
    }

    abort() {
      if (this._ws && this._ws.readyState <= WebSocket.OPEN) {
        this._aborted = true;
        this._ws.close();
      }
      this._ws = null;
      this._status = 4;
    }

    destroy() {
      if (this._ws) {
        this.abort();
      }
      this._status = 0;
      this.onDataArrival = null;
      this.onError = null;
      this.onComplete = null;
    }
  }

  function playFlv() {
    stats.path = 'flv';
    const script = document.createElement('script');
    script.src = 'mpegts.js';
    script.onerror = () => setStatus('this browser has no WebCodecs, and mpegts.js did not load', 'failed', true);
    script.onload = () => {
      if (!window.mpegts || !mpegts.getFeatureList().mseLivePlayback) {
        setStatus('this browser can play neither WebCodecs nor FLV through Media Source Extensions', 'failed', true);
        return;
      }
      const url = origin + '/ws-flv/' + stream + query;
      const player = mpegts.createPlayer({ type: 'flv', isLive: true, hasAudio: false, url },
        { customLoader: FlvSocketLoader, enableStashBuffer: false, liveBufferLatencyChasing: true });
      player.attachMediaElement(video);
      player.on(mpegts.Events.ERROR, (type, detail) => setStatus('FLV player: ' + type + ' ' + detail, 'failed', true));
      player.on(mpegts.Events.METADATA_ARRIVED, (metadata) => {
        if (metadata.width && metadata.height) {
          canvas.width = metadata.width;
          canvas.height = metadata.height;
        }
        clockEpochMillis = metadata.rendercastClockEpochMillis;
      });
      player.load();
      player.play();
      setStatus('playing ' + stream + ' (FLV through mpegts.js)', 'playing');
      const draw = (now, frame) => {
        ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
        frameShown(Math.round(frame.mediaTime * 1000));
        video.requestVideoFrameCallback(draw);
      };
      video.requestVideoFrameCallback(draw);
    };
    document.head.appendChild(script);
  }

  // ---- input: the calls an RTMP client would send ----

  let drag = null;
  let pendingMove = null;
  const scale = () => canvas.width / canvas.getBoundingClientRect().width;

  canvas.addEventListener('pointerdown', (event) => {
    canvas.setPointerCapture(event.pointerId);
    canvas.focus();
    drag = { x: event.clientX, y: event.clientY };
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!drag) {
      return;
    }
    const s = scale();
    moveCamera((event.clientX - drag.x) * s, (event.clientY - drag.y) * s);
    drag = { x: event.clientX, y: event.clientY };
  });
  const endDrag = () => { drag = null; };
  canvas.addEventListener('pointerup', endDrag);
  canvas.addEventListener('pointercancel', endDrag);
  canvas.addEventListener('wheel', (event) => {
    event.preventDefault();
    moveCamera(0, Math.sign(event.deltaY) * 20);
  }, { passive: false });
  canvas.addEventListener('keydown', (event) => {
    if (event.key === 'c' || event.key === 'C') {
      recolour();
    }
  });
  document.getElementById('recolour').addEventListener('click', () => recolour());

  /** Moves are coalesced to one call per animation frame, so a fast drag does not flood the server. */
  function moveCamera(dx, dy) {
    if (pendingMove) {
      pendingMove.dx += dx;
      pendingMove.dy += dy;
      return;
    }
    pendingMove = { dx, dy };
    requestAnimationFrame(() => {
      const move = pendingMove;
      pendingMove = null;
      const x = Math.round(move.dx);
      const y = Math.round(move.dy);
      if (x !== 0 || y !== 0) {
        call('moveCamera', [x, y]).catch((error) => { stats.lastError = describe(error); });
      }
    });
  }

  function recolour(colour) {
    const rgb = colour || '#' + Math.floor(Math.random() * 0xffffff).toString(16).padStart(6, '0');
    return call('setColor', [rgb]).catch((error) => { stats.lastError = describe(error); });
  }

  // ---- what the page shows of itself ----

  setInterval(() => {
    stats.fps = framesThisSecond;
    framesThisSecond = 0;
    statsEl.textContent = stats.fps + ' fps  decode ' + stats.decodeMs.toFixed(1) + ' ms  latency '
      + (Number.isNaN(stats.latencyMs) ? '–' : Math.round(stats.latencyMs) + ' ms');
  }, 1000);

  /**
   * How many pixels of the canvas are within a small distance of a colour, and where they lie (in canvas pixels).
   * It reads a copy a quarter the size, so that measuring costs the page little next to what it measures.
   */
  const probe = document.createElement('canvas');
  const probeCtx = probe.getContext('2d', { willReadFrequently: true });
  function findColour(hex) {
    const r = parseInt(hex.slice(1, 3), 16);
    const g = parseInt(hex.slice(3, 5), 16);
    const b = parseInt(hex.slice(5, 7), 16);
    const width = Math.max(1, canvas.width >> 2);
    const height = Math.max(1, canvas.height >> 2);
    if (probe.width !== width || probe.height !== height) {
      probe.width = width;
      probe.height = height;
    }
    probeCtx.drawImage(canvas, 0, 0, width, height);
    const data = probeCtx.getImageData(0, 0, width, height).data;
    let count = 0;
    let minX = canvas.width;
    let maxX = -1;
    let sumX = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 60) {
          count++;
          sumX += 4 * x;
          minX = Math.min(minX, 4 * x);
          maxX = Math.max(maxX, 4 * x + 3);
        }
      }
    }
    return { count, minX, maxX, meanX: count ? sumX / count : NaN };
  }

  /** The canvas's pixels, RGBA, as base64: for tests that compare them with the rendered frame. */
  function canvasPixels() {
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let text = '';
    for (let i = 0; i < data.length; i += 0x8000) {
      text += String.fromCharCode.apply(null, data.subarray(i, i + 0x8000));
    }
    return btoa(text);
  }

  // ---- latency, measured: ?bench=N sends N recolours at random moments and times each to its photon ----

  async function bench(events) {
    const palette = ['#00ff00', '#ff00ff', '#00ffff', '#ffff00', '#0000ff', '#ff0000'];
    const inputToPhoton = [];
    const glassToGlass = [];
    // Frames shown while it runs, and freezes: gaps of over 200 ms between two of them.
    let framesShown = 0;
    let freezes = 0;
    let lastShown = NaN;
    let started = NaN;
    const sampleGlass = () => {
      const now = performance.now();
      if (Number.isNaN(started)) {
        started = now;
      } else {
        framesShown++;
        if (now - lastShown > 200) {
          freezes++;
        }
      }
      lastShown = now;
      if (!Number.isNaN(stats.latencyMs)) glassToGlass.push(stats.latencyMs);
    };
    frameWatchers.add(sampleGlass);
    const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
    while (stats.framesDecoded < 30) {
      await sleep(100);
    }
    for (let i = 0; i < events; i++) {
      await sleep(100 + Math.random() * 300);
      const colour = palette[i % palette.length];
      const shown = new Promise((resolve) => {
        const start = performance.now();
        const watcher = () => {
          if (findColour(colour).count >= 10) {
            frameWatchers.delete(watcher);
            resolve(performance.now() - start);
          }
        };
        frameWatchers.add(watcher);
        setTimeout(() => { frameWatchers.delete(watcher); resolve(NaN); }, 3000);
        notify('setColor', [colour]);
      });
      inputToPhoton.push(await shown);
    }
    frameWatchers.delete(sampleGlass);
    const seconds = (lastShown - started) / 1000;
    window.rendercastBench = { path: stats.path, inputToPhoton, glassToGlass, framesShown, seconds, freezes };
  }

  window.rendercast = {
    stats, call, notify, recolour, findColour, canvasPixels,
    /** What ?bench=N does, started when a test says: N recolours timed, then window.rendercastBench. */
    bench,
    /** Answers the server's calls; an application's page replaces it. */
    onCall: (procedure) => ({ viewer: 'rendercast', procedure, userAgent: navigator.userAgent })
  };
  connect();
  if (benchEvents > 0) {
    bench(benchEvents);
  }
})();
