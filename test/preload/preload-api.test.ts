import { describe, expect, it } from 'vitest';
import { TSM_METHOD_NAMES, channelOf } from '../../preload/api';
import { buildPreloadApi, type IpcLike } from '../../preload/preload-api';
import { unwrapReply } from '../../preload/reply';
import { decodeWire, encodeWire } from '../../preload/wire';

function fakeIpc() {
  const invoked: { channel: string; args: unknown[] }[] = [];
  const subscribed: string[] = [];
  const ipc: IpcLike = {
    invoke: async (channel, ...args) => {
      invoked.push({ channel, args });
      return channel === channelOf('deleteCatalog')
        ? {
            ok: false,
            error: {
              name: 'UserError',
              message: "There is no catalog 'x'; it may have been deleted.",
            },
          }
        : { ok: true, value: { echoed: args } };
    },
    on: (channel) => {
      subscribed.push(channel);
      return () => undefined;
    },
  };
  return { ipc, invoked, subscribed };
}

describe('buildPreloadApi', () => {
  it('exposes one named method per TsmApi method, each on its own channel', async () => {
    const { ipc, invoked } = fakeIpc();
    const api = buildPreloadApi(ipc) as unknown as Record<
      string,
      (...a: unknown[]) => Promise<unknown>
    >;
    for (const name of TSM_METHOD_NAMES) expect(typeof api[name]).toBe('function');
    expect(Object.keys(api).sort()).toEqual([...TSM_METHOD_NAMES, 'on'].sort());
    expect(await api.getTablePage('run-1', 25, 25)).toEqual({ echoed: ['run-1', 25, 25] });
    expect(invoked.at(-1)).toEqual({ channel: 'tsm:getTablePage', args: ['run-1', 25, 25] });
  });

  it('rethrows main-side errors with the engine message unchanged', async () => {
    const api = buildPreloadApi(fakeIpc().ipc);
    await expect(api.deleteCatalog('x')).rejects.toThrow(
      /^There is no catalog 'x'; it may have been deleted\.$/,
    );
  });

  it('subscribes only to declared events', () => {
    const { ipc, subscribed } = fakeIpc();
    const api = buildPreloadApi(ipc);
    api.on('runProgress', () => undefined);
    expect(subscribed).toEqual(['tsm:runProgress']);
    expect(() => api.on('evil' as 'menu', () => undefined)).toThrow(/Unknown TSM event 'evil'/);
  });
});

describe('wire format', () => {
  it('round-trips bytes as base64 inside JSON', () => {
    const bytes = new Uint8Array([0, 1, 2, 253, 254, 255]);
    const text = encodeWire(['a.csv', bytes]);
    expect(text).toBe('["a.csv",{"$bytes":"AAEC/f7/"}]');
    const back = decodeWire(text) as [string, Uint8Array];
    expect([...back[1]]).toEqual([0, 1, 2, 253, 254, 255]);
  });

  it('refuses a malformed reply', () => {
    expect(() => unwrapReply({ nope: 1 })).toThrow(/malformed reply/);
  });
});
