// The learner's notifications page: log in, list the feed (paged, with the unread count), and show
// new notifications live, resuming after a dropped connection from the last position it holds.
//
// Why the live stream is read with fetch() rather than EventSource or a WebSocket: the stream is
// authenticated by the access token, and the token must never be in a URL (URLs end up in access
// logs). EventSource cannot send an Authorization header. A WebSocket could carry the token as the
// `bearer.<jwt>` subprotocol, but a browser's WebSocket hides why an upgrade was refused (every
// refusal is the same close 1006), while fetch() shows the status and the problem+json body, so the
// page can tell an ended session (401: log in again) from a cap (429) or a network drop (retry).
// fetch() also sends the same `Authorization: Bearer` as every other call and lets the page set
// `Last-Event-ID` itself; the price is reading the event-stream framing here, a few lines.

const API = '/api/learner/notifications';
const LOGIN = '/api/account/auth/login';
const PAGE_SIZE = 20;
/** The server's heartbeat is every 20 s; a stream silent for longer than this is taken for dead. */
const SILENCE_MS = 50_000;
const MAX_RETRY_MS = 30_000;

const element = (id) => document.getElementById(id);

/**
 * What the page holds. The token is kept in memory only: a reload asks to log in again, and no
 * other script of the origin finds it in storage.
 */
const state = {
  token: null,
  /** The notifications shown, by id: a notification is shown once however often it arrives. */
  items: new Map(),
  unread: 0,
  nextCursor: null,
  /** The stream position held: `<epoch>:<position>` (or `0`), sent back as Last-Event-ID. */
  mark: null,
  /** The live connection: aborting it ends the stream (log out, a silent stream). */
  connection: null,
  retryMs: 2_000,
  failures: 0,
  retryTimer: undefined,
  silenceTimer: undefined,
  /** Notifications the stream delivered, and those at or before the position the page held (always 0). */
  delivered: 0,
  repeated: 0,
};

class SessionEnded extends Error {}

/** A call to the platform as the logged-in learner; an ended session returns the page to the login. */
async function api(path, init = {}) {
  const answer = await fetch(path, {
    ...init,
    headers: {
      authorization: `Bearer ${state.token}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
  });
  if (answer.status === 401) {
    logOut('Your session ended; log in again.');
    throw new SessionEnded();
  }
  if (!answer.ok) throw new Error(await problemOf(answer));
  return answer.json();
}

async function problemOf(answer) {
  const problem = await answer.json().catch(() => null);
  return problem?.detail ?? problem?.title ?? `the platform answered ${answer.status}`;
}

function showError(error) {
  if (error instanceof SessionEnded) return;
  element('error').textContent = error instanceof Error ? error.message : String(error);
}

/** A position of the stream, as `id:` carries it. */
function markOf(id) {
  if (id === '0') return { epoch: null, position: 0 };
  const at = id.lastIndexOf(':');
  return { epoch: id.slice(0, at), position: Number(id.slice(at + 1)) };
}

/**
 * The first page of the feed, replacing what is shown. Notifications that came live after the
 * page was read are kept, so a reload while connected loses none. Answers the list's stream mark:
 * what the stream is opened from, so nothing made between the list and the stream is missed.
 */
async function loadList() {
  const page = await api(`${API}?limit=${PAGE_SIZE}`);
  const newer = [...state.items.values()].filter(
    (item) => item.epoch === page.epoch && item.position > page.latestPosition,
  );
  state.items = new Map(page.items.map((item) => [item.id, item]));
  for (const item of newer) state.items.set(item.id, item);
  state.unread = page.unread + newer.filter((item) => item.readAt === null).length;
  state.nextCursor = page.nextCursor;
  render();
  return page.streamMark;
}

async function loadOlder() {
  const page = await api(`${API}?limit=${PAGE_SIZE}&cursor=${encodeURIComponent(state.nextCursor)}`);
  for (const item of page.items) if (!state.items.has(item.id)) state.items.set(item.id, item);
  state.nextCursor = page.nextCursor;
  render();
}

function newestFirst(a, b) {
  // Positions order one epoch exactly; across epochs (a reset feed) the time does.
  return a.epoch === b.epoch ? b.position - a.position : b.createdAt.localeCompare(a.createdAt);
}

function render() {
  const items = [...state.items.values()].sort(newestFirst);
  element('notifications').replaceChildren(...items.map(itemElement));
  element('unread-count').textContent = String(state.unread);
  element('more').hidden = state.nextCursor === null;
  // For whoever checks the page (its browser test): what the stream delivered, and what it repeated.
  document.body.dataset.delivered = String(state.delivered);
  document.body.dataset.repeated = String(state.repeated);
}

function itemElement(item) {
  const li = document.createElement('li');
  li.dataset.id = item.id;
  li.dataset.kind = item.kind;
  li.dataset.position = String(item.position);
  if (item.readAt === null) li.classList.add('unread');
  const title = document.createElement('h2');
  title.textContent = item.title;
  const text = document.createElement('p');
  text.textContent = item.text;
  const time = document.createElement('time');
  time.dateTime = item.createdAt;
  time.textContent = new Date(item.createdAt).toLocaleString();
  li.append(title, text, time);
  if (item.readAt === null) {
    const read = document.createElement('button');
    read.type = 'button';
    read.textContent = 'Mark read';
    read.addEventListener('click', () => markRead(item.id).catch(showError));
    li.append(' ', read);
  }
  return li;
}

async function markRead(id) {
  const before = state.items.get(id);
  const after = await api(`${API}/${encodeURIComponent(id)}/read`, { method: 'POST' });
  if (before?.readAt === null && after.readAt !== null) state.unread = Math.max(0, state.unread - 1);
  state.items.set(id, after);
  render();
}

async function markAllRead() {
  const held = markOf(state.mark ?? '0');
  if (held.position === 0) return;
  const marked = await api(`${API}/read-all`, {
    method: 'POST',
    body: JSON.stringify({ upTo: held.position }),
  });
  const now = new Date().toISOString();
  for (const [id, item] of state.items)
    if (item.epoch === marked.epoch && item.position <= marked.readUpTo && item.readAt === null)
      state.items.set(id, { ...item, readAt: now });
  state.unread = (await api(`${API}/unread-count`)).unread;
  render();
}

function setConnection(connectionState, text = connectionState) {
  const status = element('connection');
  status.dataset.state = connectionState;
  status.textContent = text;
}

/**
 * Opens the live stream from the position held. The server sends what came after it from storage,
 * in order, then live; every event's `id:` is the position it leaves the page holding.
 */
async function connect() {
  clearTimeout(state.retryTimer);
  const connection = new AbortController();
  state.connection = connection;
  setConnection(state.failures === 0 ? 'connecting' : 'reconnecting');
  try {
    const answer = await fetch(`${API}/stream`, {
      headers: {
        authorization: `Bearer ${state.token}`,
        accept: 'text/event-stream',
        'last-event-id': state.mark,
      },
      cache: 'no-store',
      signal: connection.signal,
    });
    if (answer.status === 401) {
      logOut('Your session ended; log in again.');
      return;
    }
    // 429 (as many connections as allowed) or 503 (an instance shutting down): try again later.
    if (!answer.ok) throw new Error(await problemOf(answer));
    watchSilence(connection);
    await readEvents(answer.body, onEvent, () => watchSilence(connection));
  } catch (error) {
    if (!connection.signal.aborted && !(error instanceof TypeError)) showError(error);
  }
  reconnectLater(connection);
}

/** A stream that stops sending (not even a heartbeat) is dead without either side saying so. */
function watchSilence(connection) {
  clearTimeout(state.silenceTimer);
  state.silenceTimer = setTimeout(() => connection.abort(), SILENCE_MS);
}

/** After the server's `retry:` delay, longer after each failure in a row, with some jitter. */
function reconnectLater(connection) {
  clearTimeout(state.silenceTimer);
  // Logged out, or already replaced by a newer connection.
  if (state.connection !== connection || state.token === null) return;
  state.failures += 1;
  setConnection('reconnecting');
  const backoff = Math.min(state.retryMs * 2 ** (state.failures - 1), MAX_RETRY_MS);
  state.retryTimer = setTimeout(connect, backoff * (0.8 + Math.random() * 0.4));
}

function onEvent(event) {
  switch (event.type) {
    case 'notification': {
      const item = JSON.parse(event.data);
      const held = markOf(state.mark);
      state.delivered += 1;
      if (item.epoch === held.epoch && item.position <= held.position) {
        state.repeated += 1;
      } else if (!state.items.has(item.id)) {
        state.items.set(item.id, item);
        if (item.readAt === null) state.unread += 1;
      }
      render();
      break;
    }
    case 'ready': {
      const ready = JSON.parse(event.data);
      state.failures = 0;
      element('error').textContent = '';
      setConnection('live');
      // What the page held could not be continued (pruned, or the feed was reset): the list is
      // read again, and the stream goes on from the head the server named.
      if (!ready.recovered) loadList().catch(showError);
      break;
    }
    case 'goodbye': {
      // The server ends the stream after this; the page reconnects from its position.
      const goodbye = JSON.parse(event.data);
      setConnection('reconnecting', `reconnecting (${goodbye.reason})`);
      break;
    }
  }
  if (event.id !== undefined) state.mark = event.id;
}

/**
 * The event-stream framing (the HTML standard's "interpreting an event stream"): fields up to a
 * blank line make one event; a line starting with ":" is a comment (the heartbeat).
 */
async function readEvents(body, dispatch, heard) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let type = '';
  let data = [];
  let id;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    heard();
    buffer += value;
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop();
    for (const line of lines) {
      if (line === '') {
        if (data.length > 0) dispatch({ type: type || 'message', data: data.join('\n'), id });
        type = '';
        data = [];
        id = undefined;
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const raw = colon === -1 ? '' : line.slice(colon + 1);
      const fieldValue = raw.startsWith(' ') ? raw.slice(1) : raw;
      if (field === 'event') type = fieldValue;
      else if (field === 'data') data.push(fieldValue);
      else if (field === 'id' && !fieldValue.includes('\0')) id = fieldValue;
      else if (field === 'retry' && /^\d+$/.test(fieldValue)) state.retryMs = Number(fieldValue);
    }
  }
}

async function logIn(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  const answer = await fetch(LOGIN, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: form.get('email'), password: form.get('password') }),
  });
  if (!answer.ok) throw new Error(await problemOf(answer));
  state.token = (await answer.json()).accessToken;
  try {
    state.mark = await loadList();
  } catch (error) {
    // Not a learner (the gateway's 403), or the platform is down: back to the login, saying why.
    state.token = null;
    throw error;
  }
  event.target.reset();
  element('error').textContent = '';
  element('login').hidden = true;
  element('feed').hidden = false;
  void connect();
}

function logOut(message = '') {
  state.token = null;
  state.connection?.abort();
  state.connection = null;
  clearTimeout(state.retryTimer);
  clearTimeout(state.silenceTimer);
  Object.assign(state, {
    items: new Map(),
    unread: 0,
    nextCursor: null,
    mark: null,
    failures: 0,
    delivered: 0,
    repeated: 0,
  });
  setConnection('offline');
  element('notifications').replaceChildren();
  element('feed').hidden = true;
  element('login').hidden = false;
  element('error').textContent = message;
}

element('login').addEventListener('submit', (event) => logIn(event).catch(showError));
element('more').addEventListener('click', () => loadOlder().catch(showError));
element('read-all').addEventListener('click', () => markAllRead().catch(showError));
element('log-out').addEventListener('click', () => logOut());
