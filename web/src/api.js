// The one client of Tally's public API: base URL and bearer token, problem+json errors with their field errors,
// cursors, and an Idempotency-Key on create.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.message || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
    // [{field, reason}] from a 422; field names as the API spells them ("amount", "tags[2]").
    this.fieldErrors = Array.isArray(problem?.errors) ? problem.errors : [];
  }
}

export class Api {
  constructor(baseUrl, tokenSource, onUnauthorized) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.token = tokenSource;
    this.onUnauthorized = onUnauthorized;
  }

  async request(method, path, { query, body, headers = {}, raw } = {}) {
    const url = new URL(this.baseUrl + path, location.href);
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, value);
    }
    const init = { method, headers: { Authorization: `Bearer ${this.token()}`, ...headers } };
    if (raw !== undefined) {
      init.body = raw;
    } else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers['Content-Type'] = 'application/json';
    }
    const response = await fetch(url, init);
    if (response.status === 401) this.onUnauthorized();
    const type = response.headers.get('Content-Type') ?? '';
    const data = response.status === 204 ? null
      : type.includes('json') ? await response.json() : await response.text();
    if (!response.ok) throw new ApiError(response.status, typeof data === 'object' ? data : { detail: data });
    return data;
  }

  me() { return this.request('GET', '/me'); }
  updateMe(patch) { return this.request('PATCH', '/me', { body: patch }); }

  dashboard(month, months) { return this.request('GET', '/dashboard', { query: { month, months } }); }

  /** One page; pass the previous page's nextCursor with the same filters for the next. */
  transactions(filters, cursor) {
    return this.request('GET', '/transactions', { query: { ...filters, limit: 50, cursor } });
  }
  /** The same key with the same body stores one transaction however often it is sent (a double click). */
  createTransaction(body, idempotencyKey) {
    return this.request('POST', '/transactions', { body, headers: { 'Idempotency-Key': idempotencyKey } });
  }
  updateTransaction(id, patch) { return this.request('PATCH', `/transactions/${encodeURIComponent(id)}`, { body: patch }); }
  deleteTransaction(id) { return this.request('DELETE', `/transactions/${encodeURIComponent(id)}`); }

  importCsv(file, { mapping, dryRun }) {
    return this.request('POST', '/imports', {
      query: { mapping, dryRun: dryRun ? 'true' : 'false' },
      raw: file,
      headers: { 'Content-Type': 'text/csv' },
    });
  }
  exportTransactions(request) { return this.request('POST', '/exports', { body: request }); }
  job(id) { return this.request('GET', `/jobs/${encodeURIComponent(id)}`); }
  jobErrors(id, cursor) { return this.request('GET', `/jobs/${encodeURIComponent(id)}/errors`, { query: { limit: 20, cursor } }); }

  /** A single-use ticket for the push socket (docs/web.md); absent until the push API is deployed. */
  pushTicket() { return this.request('POST', '/push-tickets'); }
}
