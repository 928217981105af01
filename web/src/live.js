// Live updates: the push socket (POST /push-tickets, then a WebSocket; see docs/web.md) when the API
// has it, polling otherwise. Pages listen for 'changed' (something they show may have changed: refetch) and follow
// jobs with watchJob. `mode` is 'push' or 'polling'; 'mode' events announce a change.
const POLL_MS = 5000;
const JOB_POLL_MS = 600;
const JOB_POLL_WITH_PUSH_MS = 3000;
const PING_MS = 25_000;

export class Live extends EventTarget {
  constructor(api) {
    super();
    this.api = api;
    this.mode = 'polling';
    this.socket = null;
    this.lastSeq = null;
    this.retryMs = 2000;
    this.jobWaiters = new Map();
  }

  start() {
    this.connect();
    // Polling: a page that shows data refetches on this beat while the socket is down (and only when visible).
    this.poller = setInterval(() => {
      if (this.mode === 'polling' && document.visibilityState === 'visible') this.emit('changed', { reason: 'poll' });
    }, POLL_MS);
  }

  stop() {
    clearInterval(this.poller);
    clearTimeout(this.retry);
    this.socket?.close();
  }

  async connect() {
    let ticket;
    try {
      ticket = await this.api.pushTicket();
    } catch {
      // No push API (yet), or it failed: poll, and ask again later.
      this.setMode('polling');
      this.retry = setTimeout(() => this.connect(), 60_000);
      return;
    }
    const url = new URL(ticket.url);
    url.searchParams.set('ticket', ticket.ticket);
    const socket = new WebSocket(url);
    this.socket = socket;
    let ping;
    socket.onopen = () => {
      this.retryMs = 2000;
      this.lastSeq = null;
      this.setMode('push');
      // Missed events while polling: a fresh read covers them.
      this.emit('changed', { reason: 'connected' });
      ping = setInterval(() => socket.send(JSON.stringify({ action: 'ping' })), PING_MS);
    };
    socket.onmessage = (event) => this.receive(JSON.parse(event.data));
    socket.onclose = () => {
      clearInterval(ping);
      if (this.socket !== socket) return;
      this.socket = null;
      this.setMode('polling');
      this.retry = setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 60_000);
    };
  }

  receive(message) {
    if (typeof message.seq === 'number') {
      const gap = this.lastSeq !== null && message.seq !== this.lastSeq + 1;
      this.lastSeq = message.seq;
      if (gap) this.emit('changed', { reason: 'gap' });
    }
    switch (message.type) {
      case 'transaction.created': case 'transaction.updated': case 'transaction.deleted':
        this.emit('changed', { reason: message.type, month: message.data?.month });
        break;
      case 'statistics.changed':
        this.emit('changed', { reason: message.type, months: message.data?.months ?? [] });
        break;
      case 'job.progress': case 'job.finished':
        this.jobWaiters.get(message.data?.jobId)?.();
        break;
      case 'resync':
        this.emit('changed', { reason: 'resync' });
        for (const wake of this.jobWaiters.values()) wake();
        break;
      default:
        break;
    }
  }

  /**
   * Follows a job to its end, calling onUpdate with each GET /jobs/{id}: read again on every pushed event for it, and
   * on a beat (fast while polling, slow as a safety net with push). Resolves with the finished job.
   */
  watchJob(jobId, onUpdate, signal) {
    return new Promise((resolve, reject) => {
      let timer;
      let reading = false;
      let again = false;
      const finish = (action) => {
        clearTimeout(timer);
        this.jobWaiters.delete(jobId);
        action();
      };
      const read = async () => {
        if (reading) { again = true; return; }
        reading = true;
        clearTimeout(timer);
        try {
          const job = await this.api.job(jobId);
          if (signal?.aborted) return finish(() => reject(new DOMException('aborted', 'AbortError')));
          onUpdate(job);
          if (!['awaiting_upload', 'queued', 'running'].includes(job.status)) return finish(() => resolve(job));
        } catch (error) {
          if (error.status && error.status < 500) return finish(() => reject(error));
        } finally {
          reading = false;
        }
        if (again) { again = false; read(); return; }
        timer = setTimeout(read, this.mode === 'push' ? JOB_POLL_WITH_PUSH_MS : JOB_POLL_MS);
      };
      this.jobWaiters.set(jobId, read);
      read();
    });
  }

  setMode(mode) {
    if (this.mode === mode) return;
    this.mode = mode;
    this.emit('mode', { mode });
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
