/**
 * Error classes of the core. One base class, names ending in `Error`, `name` set, the cause kept.
 */

/** Base class of every error the ops-assistant core throws on purpose. */
export class OpsAssistantError extends Error {
  /** A stable machine-readable code, e.g. `INVALID_EVENT`; the API returns it as `code`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OpsAssistantError';
    this.code = code;
  }
}

/**
 * An input (event payload, evidence file, request body) could not be read.
 * `input` names the input (a path, `stdin`, `event`, `body`), so the message can point at it.
 */
export class InvalidInputError extends OpsAssistantError {
  readonly input: string;
  constructor(input: string, message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? 'INVALID_INPUT', `${input}: ${message}`, options);
    this.name = 'InvalidInputError';
    this.input = input;
  }
}

/** An event payload is not any AWS shape the normalize stage reads. */
export class UnsupportedEventError extends InvalidInputError {
  constructor(input: string, message: string, options?: { cause?: unknown }) {
    super(input, message, { ...options, code: 'UNSUPPORTED_EVENT' });
    this.name = 'UnsupportedEventError';
  }
}

/** An input exceeds a configured bound (bytes, lines, objects, aliases). */
export class InputTooLargeError extends InvalidInputError {
  constructor(input: string, message: string, options?: { cause?: unknown }) {
    super(input, message, { ...options, code: 'INPUT_TOO_LARGE' });
    this.name = 'InputTooLargeError';
  }
}

/** A model folder failed verification or loading (hash mismatch, missing file). */
export class ModelLoadError extends OpsAssistantError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MODEL_LOAD_FAILED', message, options);
    this.name = 'ModelLoadError';
  }
}

/** Describes any thrown value as one line, for `degraded` entries and CLI messages. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
