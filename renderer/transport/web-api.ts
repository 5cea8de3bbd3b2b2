import {
  TSM_EVENTS,
  TSM_METHOD_NAMES,
  type TsmApi,
  type TsmEventName,
  type TsmEvents,
} from '../../preload/api';
import { unwrapReply } from '../../preload/reply';
import { decodeWire, encodeWire } from '../../preload/wire';

type Listener = (payload: unknown) => void;

const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30_000;
/** Largest request body sent with `keepalive` (browsers allow 64 KiB in flight). */
const KEEPALIVE_MAX_BYTES = 60_000;

/**
 * TsmApi over the web bridge (main/web-server.ts): each method is a `POST /api/<method>` with the
 * per-launch token, events come over one WebSocket that reconnects when it drops.
 */
export function createWebApi(origin: string, token: string): TsmApi {
  const listeners = new Map<TsmEventName, Set<Listener>>();
  let socket: WebSocket | null = null;
  /**
   * Wait before reconnecting: 1 s after a connection that worked, doubled (to 30 s) while none
   * does (a page of an earlier launch, whose token is refused, asked every second forever).
   */
  let retryMs = RETRY_FIRST_MS;

  const connect = () => {
    if (socket) return;
    const wsUrl = `${origin.replace(/^http/, 'ws')}/events?token=${encodeURIComponent(token)}`;
    const ws = new WebSocket(wsUrl);
    socket = ws;
    ws.onopen = () => {
      retryMs = RETRY_FIRST_MS;
    };
    ws.onmessage = (message) => {
      const { event, payload } = decodeWire(String(message.data)) as {
        event: TsmEventName;
        payload: unknown;
      };
      for (const listener of listeners.get(event) ?? []) listener(payload);
    };
    ws.onclose = () => {
      socket = null;
      if (![...listeners.values()].some((set) => set.size > 0)) return;
      setTimeout(connect, retryMs);
      retryMs = Math.min(RETRY_MAX_MS, retryMs * 2);
    };
  };

  const api: Record<string, unknown> = {};
  for (const name of TSM_METHOD_NAMES) {
    api[name] = async (...args: unknown[]) => {
      const body = encodeWire(args);
      const response = await fetch(`${origin}/api/${name}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body,
        // the draft saved as the page closes (pagehide) must outlive it, and the plots' stop sent
        // then; browsers take at most 64 KiB of such bodies
        keepalive:
          name === 'cancelRunQa' ||
          (name === 'saveDraft' && new TextEncoder().encode(body).length < KEEPALIVE_MAX_BYTES),
      });
      if (!response.ok) {
        throw new Error(
          response.status === 401
            ? 'The app refused the request: open the address printed by `npm run web` (it carries the token).'
            : `The app answered ${response.status}: ${await response.text()}`,
        );
      }
      return unwrapReply(decodeWire(await response.text()));
    };
  }
  api.on = <E extends TsmEventName>(event: E, listener: (payload: TsmEvents[E]) => void) => {
    if (!Object.hasOwn(TSM_EVENTS, event)) throw new Error(`Unknown TSM event '${event}'`);
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener as Listener);
    connect();
    return () => set.delete(listener as Listener);
  };
  return api as unknown as TsmApi;
}
