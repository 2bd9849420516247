/**
 * The one entry point of the core: `handle(method, input)`. Both shells and
 * the CLI go through it, so validation and error shaping happen once.
 */
import { isMethodName, methods, type MethodName, type MethodOutput, type ParsedInput } from '../../shared/api.ts';
import { WorkbenchFailure, type Result } from '../../shared/errors.ts';
import type { z } from 'zod';

export interface CallContext {
  /** Which shell the call came through, for logs. */
  readonly via: 'ipc' | 'websocket' | 'memory' | 'cli';
}

export type Handlers = {
  [M in MethodName]: (input: ParsedInput<M>, context: CallContext) => MethodOutput<M> | Promise<MethodOutput<M>>;
};

/** The handlers of one capability: the methods whose names start with `<capability>.`. */
export type HandlersOf<Capability extends string> = Pick<Handlers, Extract<MethodName, `${Capability}.${string}`>>;

export class Dispatcher {
  readonly #handlers: Handlers;
  readonly #onInternalError: (method: string, error: unknown) => void;

  constructor(handlers: Handlers, onInternalError: (method: string, error: unknown) => void = () => {}) {
    this.#handlers = handlers;
    this.#onInternalError = onInternalError;
  }

  async handle(method: unknown, input: unknown, context: CallContext): Promise<Result<unknown>> {
    if (!isMethodName(method)) {
      return failure('unknown-method', 'The workbench does not know this request.', String(method).slice(0, 100));
    }
    const spec = methods[method];
    const parsed = spec.input.safeParse(input ?? {});
    if (!parsed.success) {
      return failure('invalid-request', 'The request was refused because some of its values are not valid.', describeIssues(parsed.error));
    }
    try {
      const handler = this.#handlers[method] as (input: unknown, context: CallContext) => unknown;
      const value = await handler(parsed.data, context);
      const checked = (spec.output as z.ZodType).safeParse(value);
      if (!checked.success) throw new Error(`${method} returned an invalid value: ${describeIssues(checked.error)}`);
      return { ok: true, value: checked.data };
    } catch (error) {
      if (error instanceof WorkbenchFailure) return { ok: false, error: error.toError() };
      this.#onInternalError(method, error);
      return failure('internal', 'Something went wrong inside the workbench.', error instanceof Error ? error.message : String(error));
    }
  }
}

function failure(code: 'unknown-method' | 'invalid-request' | 'internal', message: string, detail: string): Result<never> {
  return { ok: false, error: { code, message, detail } };
}

/** The first few problems of a refused value, for an error's `detail`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(input)'}: ${issue.message}`)
    .join('; ');
}
