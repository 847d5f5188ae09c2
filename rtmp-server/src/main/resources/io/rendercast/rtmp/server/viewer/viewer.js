// The Rendercast viewer: plays a stream the server renders, over WebRTC where the server offers it (WHEP, the calls
// on a data channel), else decoding each frame with WebCodecs as it arrives over the WebSocket, drawing each at once
// (no media element's buffer in the way), and sends the user's input back as the calls an RTMP client would make.
// Both paths are rendercast.js, the client an application's own page imports; without WebCodecs or WebRTC the page
// falls back to FLV through mpegts.js. ?transport=webrtc|websocket picks one; the header says which plays.
//
// The page plays ?stream=APP/STREAM (live/demo by default); every other query parameter goes to the server's
// connect handlers, as an RTMP client's connect arguments do (a token, say).
import { RendercastPlayer } from './rendercast.js';

(() => {
  'use strict';
  const params = new URLSearchParams(location.search);
  const stream = params.get('stream') || 'live/demo';
  const benchEvents = Number(params.get('bench') || 0);
  const passOn = new URLSearchParams(params);
  passOn.delete('stream');
  passOn.delete('bench');
  passOn.delete('flv');
  passOn.delete('transport');
  const query = passOn.toString() ? '?' + passOn.toString() : '';
  const origin = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host;

  const canvas = document.getElementById('screen');
  const ctx = canvas.getContext('2d');
  const video = document.getElementById('fallback');
  const statusEl = document.getElementById('status');
  const statsEl = document.getElementById('stats');
  const callErrorEl = document.getElementById('call-error');
  const controlEl = document.getElementById('control');
  const askControlEl = document.getElementById('ask-control');

  const stats = {
    path: null, codec: null, state: 'connecting', reason: null, framesDecoded: 0, fps: 0, decodeMs: 0, paint: null,
    latencyMs: NaN, latencyFrom: null, reconnects: 0, lastError: null,
    role: null, controllers: [], watchers: 0 // on a broadcast that its controllers steer
  };
  const frameWatchers = new Set();
  let player = null; // the WebCodecs path: rendercast.js, the client an application's own page uses too
  let flvSocket = null; // the FLV path's WebSocket, which carries the page's calls out
  let clockEpochMillis = NaN; // the FLV path's; the player keeps its own
  let framesThisSecond = 0;

  function setStatus(text, state, isError) {
    stats.state = state;
    statusEl.textContent = text;
    statusEl.classList.toggle('error', !!isError);
  }

  /** Calls a procedure on the server, as an RTMP client would; resolves with its _result. */
  function call(procedure, args) {
    if (stats.path === 'flv') {
      notify(procedure, args); // an FLV stream carries no answers back
      return Promise.resolve(undefined);
    }
    return player ? player.call(procedure, ...(args || [])) : Promise.reject(new Error('not connected'));
  }

  /** A call that wants no answer (transaction id 0). */
  function notify(procedure, args) {
    if (player) {
      player.notify(procedure, ...(args || []));
    } else if (flvSocket && flvSocket.readyState === WebSocket.OPEN) {
      flvSocket.send(JSON.stringify({ type: 'call', procedure, id: 0, args }));
    }
  }

  /** A call the application answered with _error: its words go on screen, not only into the statistics. */
  function showCallError(procedure, error) {
    stats.lastError = error && error.message ? error.message : String(error);
    callErrorEl.textContent = procedure + ': ' + stats.lastError;
    callErrorEl.hidden = false;
  }

  /**
   * The page offers only the inputs the application takes: onMetaData lists the procedures its connection
   * answers (rendercastCalls). With neither of the demo's, the page is neutral: it plays and shows statistics.
   */
  let moves = true;
  function showInputs(metadata) {
    const calls = metadata && metadata.rendercastCalls;
    if (!Array.isArray(calls)) {
      return; // a server that does not say: every input stays
    }
    moves = calls.includes('moveCamera');
    const colours = calls.includes('setColor');
    document.getElementById('recolour').hidden = !colours;
    canvas.style.cursor = moves ? '' : 'default';
    const offered = [moves ? 'drag to move the camera, wheel to move it up and down' : null,
      colours ? 'C or the button to recolour' : null].filter(Boolean);
    document.querySelector('footer').textContent = offered.length > 0
      ? offered.join('; ') + '.' : 'This application takes no input from this page: it plays, with its statistics above.';
  }

  /**
   * A broadcast that its controllers steer: who steers, how many watch, and this page's part, with a button to
   * ask for control (the server's policy answers) or give it up.
   */
  function showControl(state) {
    if (!state) { // the connection dropped: its role went with it
      stats.role = null;
      controlEl.hidden = askControlEl.hidden = true;
      return;
    }
    stats.role = state.role;
    stats.controllers = state.controllers || [];
    stats.watchers = state.watchers || 0;
    const steers = stats.controllers.length > 0 ? stats.controllers.join(', ') + ' steers' : 'no one steers';
    const mine = state.role === 'controller' ? 'you steer'
      : state.role === 'queued' ? 'you are #' + state.position + ' in line' : 'you watch';
    controlEl.textContent = mine + ' · ' + steers + ' · ' + stats.watchers + ' watching';
    controlEl.hidden = false;
    askControlEl.textContent = state.role === 'controller' ? 'Release control'
      : state.role === 'queued' ? 'Leave the queue' : 'Ask for control';
    askControlEl.hidden = false;
    if (state.role === 'controller') {
      callErrorEl.hidden = true;
    }
  }

  askControlEl.addEventListener('click', () => {
    const asking = stats.role === 'watcher';
    (asking ? player.requestControl() : player.releaseControl())
      .then(showControl)
      .catch((error) => showCallError(asking ? 'requestControl' : 'releaseControl', error));
  });

  // ---- WebCodecs over the viewer's WebSocket, through rendercast.js ----

  function connect() {
    const transport = params.get('transport') || 'auto';
    if (params.has('flv') || (!('VideoDecoder' in window) && (transport === 'websocket'
        || !('RTCPeerConnection' in window)))) {
      playFlv();
      return;
    }
    stats.path = 'webcodecs';
    player = new RendercastPlayer(stream, {
      canvas, query: passOn, transport, onCall: (procedure, args) => window.rendercast.onCall(procedure, args)
    });
    player.addEventListener('statechange', (event) => showState(event.detail));
    player.addEventListener('frame', (event) => frameShown(event.detail.timestamp));
    player.addEventListener('metadata', (event) => showInputs(event.detail));
    player.addEventListener('control', (event) => showControl(event.detail));
    player.play().catch(() => { /* shown by its state */ });
  }

  /** The player's figures, copied into the page's own (which tests and the bench read). */
  function copyStats() {
    const from = player.stats;
    stats.path = from.transport === 'webrtc' ? 'webrtc' : 'webcodecs';
    stats.codec = from.codec;
    stats.framesDecoded = from.framesDecoded;
    stats.decodeMs = from.decodeMs;
    stats.paint = from.paint;
    stats.latencyMs = from.latencyMs;
    stats.latencyFrom = from.latencyFrom;
    stats.reconnects = from.reconnects;
  }

  function showState(state) {
    copyStats();
    const why = player.stats.lastError;
    switch (state) {
      case 'connecting': setStatus('connecting to ' + stream + '…', 'connecting'); break;
      case 'connected': setStatus('connected; waiting for ' + stream, 'connected'); break;
      case 'playing':
        setStatus('playing ' + stream + (stats.path === 'webrtc' ? ' (WebRTC' : ' (WebSocket, WebCodecs')
          + (stats.codec ? ', ' + stats.codec : '') + ')', 'playing');
        break;
      case 'refused':
        stats.reason = why;
        setStatus('refused by the server: ' + why, 'refused', true);
        break;
      case 'failed':
        stats.reason = why;
        setStatus(why, 'failed', true);
        break;
      case 'reconnecting': setStatus(why + '; reconnecting…', 'reconnecting', true); break;
      case 'stopped': setStatus('the stream stopped', 'stopped'); break;
      default: setStatus(state, state);
    }
  }

  function frameShown(timestamp) {
    if (player) {
      copyStats();
    } else {
      stats.framesDecoded++;
      if (timestamp !== undefined && !Number.isNaN(clockEpochMillis)) {
        // Glass to glass: from the render tick this frame carries to now, on the server's clock.
        stats.latencyMs = performance.timeOrigin + performance.now() - (clockEpochMillis + timestamp);
        stats.latencyFrom = 'stream-clock';
      }
    }
    framesThisSecond++;
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
      flvSocket = ws;
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
        showInputs(metadata);
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
    if (!moves) {
      return;
    }
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
    if (!moves) {
      return;
    }
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
        call('moveCamera', [x, y]).catch((error) => showCallError('moveCamera', error));
      }
    });
  }

  function recolour(colour) {
    const rgb = colour || '#' + Math.floor(Math.random() * 0xffffff).toString(16).padStart(6, '0');
    return call('setColor', [rgb]).catch((error) => showCallError('setColor', error));
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
    // Frames shown while it runs, and freezes: gaps of over 200 ms between two of them, each as [when it ended in ms
    // from the start, its length in ms] (at most one a frame shown).
    let framesShown = 0;
    let freezes = 0;
    const freezeGaps = [];
    // When each input was sent, in ms from the start; and the glass to glass of the frame that first showed it (the
    // input's time less this is its way to the server and its render: which half a slow one lost its time in).
    const inputAt = [];
    const inputGlass = [];
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
          freezeGaps.push([now - started, now - lastShown]);
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
        inputAt.push(start - started);
        let timeout;
        const watcher = () => {
          if (findColour(colour).count >= 10) {
            frameWatchers.delete(watcher);
            clearTimeout(timeout);
            inputGlass.push(stats.latencyMs);
            resolve(performance.now() - start);
          }
        };
        frameWatchers.add(watcher);
        timeout = setTimeout(() => { frameWatchers.delete(watcher); inputGlass.push(NaN); resolve(NaN); }, 3000);
        notify('setColor', [colour]);
      });
      inputToPhoton.push(await shown);
    }
    frameWatchers.delete(sampleGlass);
    const seconds = (lastShown - started) / 1000;
    window.rendercastBench = {
      path: stats.path, inputToPhoton, glassToGlass, framesShown, seconds, freezes, inputAt, freezeGaps, inputGlass,
    };
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
