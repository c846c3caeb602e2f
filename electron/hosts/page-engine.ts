// The engine WebSocket opened by a partition's page itself, as a mashup opens it: the page fetches the
// csrf token from its own origin, the browser sends the partition's cookies and the page's Origin with
// the upgrade, and the socket lives in the page until the window closes. Each call is one small script
// run in the page (Playwright's evaluate, Electron's isolated world); both hosts use the scripts here.
import { EngineCallError, EngineError, engineClosed, engineTimeout, type EngineTab } from '../core/qlik/engine-rpc';
import type { EngineAddress } from '../core/scenarios/engine-tab';

/** Runs `code` (an expression evaluating to a promise) in the page and resolves with its JSON result. */
export type PageRunner = (code: string) => Promise<unknown>;

const REGISTRY = 'globalThis.__usherEngines ??= { next: 1, sockets: {} }';

/** In the page: token, socket, a registry entry; resolves with the socket's id once it is open. */
function openScript(address: EngineAddress, timeoutMs: number): string {
  return `(async () => {
    const registry = ${REGISTRY};
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), ${timeoutMs});
    try {
      const res = await fetch(${JSON.stringify(address.csrfTokenUrl)}, { credentials: 'same-origin', cache: 'no-store', signal: controller.signal });
      const token = res.headers.get('qlik-csrf-token');
      const url = new URL(${JSON.stringify(address.socketUrl)});
      if (token) url.searchParams.set('qlik-csrf-token', token);
      const ws = new WebSocket(url.toString());
      const entry = { ws, nextId: 1, pending: {}, closed: null };
      ws.onmessage = (event) => {
        let message;
        try { message = JSON.parse(event.data); } catch { return; }
        const waiter = message.id != null ? entry.pending[message.id] : undefined;
        if (waiter) { delete entry.pending[message.id]; waiter(message); }
      };
      ws.onclose = (event) => {
        entry.closed = 'closed (' + event.code + (event.reason ? ' ' + event.reason : '') + ')';
        for (const id of Object.keys(entry.pending)) { entry.pending[id]({ closed: entry.closed }); delete entry.pending[id]; }
      };
      await new Promise((resolve, reject) => {
        ws.onopen = resolve;
        ws.onerror = () => reject(new Error('the engine WebSocket did not open (the proxy refused the upgrade or the connection failed)'));
        controller.signal.addEventListener('abort', () => reject(new Error('the engine WebSocket did not open within ${timeoutMs} ms')));
      });
      const id = registry.next++;
      registry.sockets[id] = entry;
      return { id };
    } catch (err) {
      return { error: String(err && err.message ? err.message : err) };
    } finally {
      clearTimeout(timer);
    }
  })()`;
}

function callScript(id: number, request: { handle: number; method: string; params: unknown[] }, timeoutMs: number): string {
  return `(async () => {
    const entry = (${REGISTRY}).sockets[${id}];
    if (!entry) return { closed: 'gone (the page was reloaded or navigated away)' };
    if (entry.closed) return { closed: entry.closed };
    const id = entry.nextId++;
    return await new Promise((resolve) => {
      const timer = setTimeout(() => { delete entry.pending[id]; resolve({ timeout: true }); }, ${timeoutMs});
      entry.pending[id] = (message) => { clearTimeout(timer); resolve(message); };
      entry.ws.send(JSON.stringify({ jsonrpc: '2.0', id, ...${JSON.stringify(request)} }));
    });
  })()`;
}

function closeScript(id: number): string {
  return `(() => {
    const registry = ${REGISTRY};
    const entry = registry.sockets[${id}];
    if (entry) { entry.ws.close(); delete registry.sockets[${id}]; }
    return true;
  })()`;
}

interface CallAnswer {
  result?: Record<string, any>;
  error?: { code: number; message: string };
  closed?: string;
  timeout?: boolean;
}

/** Opens the socket in the page and hands back an engine tab whose calls run there. */
export async function openPageEngine(run: PageRunner, address: EngineAddress, timeoutMs: number): Promise<EngineTab> {
  const opened = (await run(openScript(address, timeoutMs))) as { id?: number; error?: string };
  if (opened.id === undefined)
    throw new EngineError(
      'ENGINE_UNREACHABLE',
      opened.error ?? 'the engine WebSocket did not open',
      "check that the page's session is logged in and the proxy reachable",
    );
  const id = opened.id;
  return {
    async call(handle, method, params) {
      const answer = (await run(callScript(id, { handle, method, params }, timeoutMs))) as CallAnswer;
      if (answer.timeout) throw engineTimeout(method, timeoutMs);
      if (answer.closed) throw engineClosed(method, answer.closed);
      if (answer.error) throw new EngineCallError(answer.error.code, answer.error.message, method);
      return answer.result ?? {};
    },
    async close() {
      await run(closeScript(id)).catch(() => undefined);
    },
  };
}
