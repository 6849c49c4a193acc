// The video call of a video appointment (WebRTC), for the citizen and the
// operator. The page (#video-call) names three URLs of its room:
//   data-config  GET: role, last message number, chat so far, ICE servers
//                (STUN/TURN, with this participant's ephemeral credentials)
//   data-events  server-sent events: the other peer's signals and the chat
//   data-post    POST (form: _csrf, kind, text): a signal or a chat message
// Signalling: both peers post "join" when they arrive; the citizen answers
// the operator's "join" with its own, and the operator calls (offer) on the
// citizen's "join". Each offer carries a call id echoed by the answer and
// the candidates, so messages of an earlier attempt are ignored.
// No framework, no inline script (the CSP forbids it); Italian UI.
(() => {
  'use strict';
  const root = document.getElementById('video-call');
  if (!root) return;
  const $ = (id) => document.getElementById(id);
  const role = root.dataset.role;
  const relay = root.dataset.relay === '1';
  const statusEl = $('video-status');
  const micBtn = $('video-mic');
  const camBtn = $('video-cam');
  const hangBtn = $('video-hangup');
  const chatLog = $('video-chat-log');
  const chatForm = $('video-chat-form');
  const chatText = $('video-chat-text');
  let config = null;
  let local = null;
  let pc = null;
  let callId = null;
  let pending = [];
  let events = null;
  let ended = false;
  let queue = Promise.resolve();

  const say = (text) => { statusEl.textContent = text; };
  root.dataset.state = 'new';

  async function post(kind, payload) {
    const text = typeof payload === 'string' ? payload : JSON.stringify(payload || {});
    const body = new URLSearchParams({ _csrf: root.dataset.csrf, kind, text });
    const r = await fetch(root.dataset.post, {
      method: 'POST', body, credentials: 'same-origin', headers: { Accept: 'application/json' },
    });
    if (!r.ok) {
      let msg = 'Il messaggio non è stato inviato.';
      try {
        const j = await r.json();
        if (j.error && j.error.message) msg = j.error.message;
        if (j.error && j.error.fields && j.error.fields[0]) msg = j.error.fields[0].message;
      } catch (e) { /* not JSON */ }
      throw new Error(msg);
    }
    return r.json();
  }

  // Signals go out one after the other, in the order they were made: a
  // candidate must not overtake the offer or answer it belongs to.
  let outbox = Promise.resolve();
  function send(kind, payload) {
    const p = outbox.then(() => post(kind, payload));
    outbox = p.catch(() => {});
    return p;
  }

  function chatLine(m) {
    const li = document.createElement('li');
    li.className = 'mb-2';
    const who = document.createElement('strong');
    const mine = m.from === role;
    who.textContent = `${mine ? 'Tu' : (m.from === 'operator' ? 'Operatore' : 'Cittadino')}, ${m.at}: `;
    li.append(who, document.createTextNode(m.body));
    chatLog.append(li);
  }

  function closePeer() {
    if (pc) {
      pc.onicecandidate = null;
      pc.ontrack = null;
      pc.onconnectionstatechange = null;
      pc.close();
    }
    pc = null;
    pending = [];
    $('video-remote').srcObject = null;
  }

  function newPeer(id) {
    closePeer();
    callId = id;
    pc = new RTCPeerConnection({ iceServers: config.iceServers, iceTransportPolicy: relay ? 'relay' : 'all' });
    window.sportelloCall = pc; // read by the browser test
    const tracks = local ? local.getTracks() : [];
    for (const t of tracks) pc.addTrack(t, local);
    if (!tracks.some((t) => t.kind === 'audio')) pc.addTransceiver('audio', { direction: 'recvonly' });
    if (!tracks.some((t) => t.kind === 'video')) pc.addTransceiver('video', { direction: 'recvonly' });
    const mine = pc;
    pc.onicecandidate = (ev) => {
      if (ev.candidate) send('candidate', { call: id, candidate: ev.candidate.toJSON() }).catch(() => {});
    };
    pc.ontrack = (ev) => {
      const v = $('video-remote');
      if (ev.streams[0] && v.srcObject !== ev.streams[0]) v.srcObject = ev.streams[0];
    };
    pc.onconnectionstatechange = () => {
      if (pc !== mine) return;
      const s = pc.connectionState;
      root.dataset.state = s;
      if (s === 'connected') say('Collegamento stabilito.');
      else if (s === 'connecting') say('Collegamento in corso…');
      else if (s === 'disconnected') say('Collegamento interrotto: tentativo di ripristino in corso…');
      else if (s === 'failed') say('Collegamento non riuscito. Controlla la rete e ricarica la pagina.');
    };
    return pc;
  }

  async function flush() {
    const list = pending;
    pending = [];
    for (const c of list) await pc.addIceCandidate(c).catch(() => {});
  }

  async function call() {
    const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    newPeer(id);
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    say('Chiamata in corso…');
    await send('offer', { call: id, type: offer.type, sdp: offer.sdp });
  }

  async function onMessage(m) {
    if (m.kind === 'chat') { chatLine(m); return; }
    if (ended) return;
    const data = m.body ? JSON.parse(m.body) : {};
    if (m.kind === 'join') {
      if (role === 'operator') await call();
      else await send('join', {});
    } else if (m.kind === 'offer' && role === 'citizen') {
      newPeer(data.call);
      await pc.setRemoteDescription({ type: 'offer', sdp: data.sdp });
      await flush();
      const answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
      await send('answer', { call: data.call, type: answer.type, sdp: answer.sdp });
    } else if (m.kind === 'answer' && role === 'operator' && pc && data.call === callId) {
      await pc.setRemoteDescription({ type: 'answer', sdp: data.sdp });
      await flush();
    } else if (m.kind === 'candidate' && pc && data.call === callId) {
      if (pc.remoteDescription) await pc.addIceCandidate(data.candidate).catch(() => {});
      else pending.push(data.candidate);
    } else if (m.kind === 'bye') {
      closePeer();
      root.dataset.state = 'closed';
      say(role === 'operator' ? 'Il cittadino ha chiuso la chiamata.' : "L'operatore ha chiuso la chiamata.");
    }
  }

  function listen() {
    events = new EventSource(`${root.dataset.events}?dopo=${encodeURIComponent(config.seq)}`);
    events.onmessage = (ev) => {
      let m;
      try { m = JSON.parse(ev.data); } catch (e) { return; }
      queue = queue.then(() => onMessage(m)).catch((e) => say(`Errore nella chiamata: ${e.message}`));
    };
    events.onerror = () => {
      // the stream ends after each answer and the browser reconnects; a
      // refusal (room closed) ends it for good
      if (events.readyState === EventSource.CLOSED && !ended) {
        ended = true;
        closePeer();
        root.dataset.state = 'closed';
        say('La videochiamata è chiusa.');
      }
    };
  }

  function toggle(btn, kind, onText, offText) {
    btn.addEventListener('click', () => {
      const tracks = local ? local.getTracks().filter((t) => t.kind === kind) : [];
      const off = btn.getAttribute('aria-pressed') !== 'true';
      for (const t of tracks) t.enabled = !off;
      btn.setAttribute('aria-pressed', off ? 'true' : 'false');
      btn.textContent = off ? offText : onText;
    });
  }

  async function start() {
    say('Preparazione della videochiamata…');
    const r = await fetch(root.dataset.config, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (!r.ok) {
      let msg = 'La videochiamata non è disponibile.';
      try { const j = await r.json(); if (j.error && j.error.message) msg = j.error.message; } catch (e) { /* */ }
      say(msg);
      return;
    }
    config = await r.json();
    for (const m of config.chat) chatLine(m);
    try {
      local = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      $('video-local').srcObject = local;
      micBtn.disabled = false;
      camBtn.disabled = false;
    } catch (e) {
      local = null;
      root.dataset.media = e.name || 'error';
      say('Videocamera o microfono non disponibili: potrai vedere e sentire l’interlocutore e usare la chat.');
    }
    hangBtn.disabled = false;
    listen();
    await send('join', {});
    say(role === 'operator' ? 'In attesa del cittadino…' : "In attesa dell'operatore…");
  }

  toggle(micBtn, 'audio', 'Disattiva il microfono', 'Attiva il microfono');
  toggle(camBtn, 'video', 'Disattiva la videocamera', 'Attiva la videocamera');
  hangBtn.addEventListener('click', () => {
    send('bye', {}).catch(() => {});
    ended = true;
    closePeer();
    if (events) events.close();
    if (local) for (const t of local.getTracks()) t.stop();
    hangBtn.disabled = true;
    micBtn.disabled = true;
    camBtn.disabled = true;
    root.dataset.state = 'closed';
    say('Chiamata terminata. Per rientrare ricarica la pagina.');
  });
  chatForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = chatText.value.trim();
    if (!text) { say('Scrivi un messaggio prima di inviarlo.'); chatText.focus(); return; }
    post('chat', text).then(() => { chatText.value = ''; }).catch((e) => say(e.message));
  });
  start().catch((e) => say(`La videochiamata non è partita: ${e.message}`));
})();
