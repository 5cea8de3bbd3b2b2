import { z } from 'zod';
import { UserError, errorMessage } from '../compute/errors';
import { TSM_METHODS, type TsmApi, type TsmMethod } from '../preload/api';
import { ARG_SCHEMAS } from './api-schemas';

import type { Reply } from '../preload/reply';

export type TsmService = Omit<TsmApi, 'on'>;

export function isTsmMethod(name: string): name is TsmMethod {
  return Object.hasOwn(TSM_METHODS, name);
}

function describeArgsError(method: string, error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const where = issue.path.length > 0 ? ` argument ${issue.path.join('.')}` : '';
    return `${method}${where}: ${issue.message}`;
  });
  return `Invalid request. ${lines.join('; ')}`;
}

/**
 * Validates a call from the renderer (method name and zod-checked arguments) and runs it on the
 * service. Errors come back as a Reply with the engine's message unchanged.
 */
export async function dispatch(service: TsmService, method: string, args: unknown): Promise<Reply> {
  try {
    if (!isTsmMethod(method)) throw new UserError(`Unknown request '${method}'.`);
    const parsed = ARG_SCHEMAS[method].safeParse(Array.isArray(args) ? args : [args]);
    if (!parsed.success) throw new UserError(describeArgsError(method, parsed.error));
    const fn = service[method] as (...a: unknown[]) => Promise<unknown>;
    const value = await fn.apply(service, parsed.data);
    return { ok: true, value: value ?? null };
  } catch (err) {
    const name = err instanceof Error ? err.name : 'Error';
    return { ok: false, error: { name, message: errorMessage(err) } };
  }
}
