/**
 * Validation of a diagnosis against `schemas/diagnosis.schema.json` (JSON Schema draft 2020-12)
 * with Ajv's 2020 build and `ajv-formats` (for `date-time`). The schema object is imported from
 * its TypeScript source, so the core reads no file.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import * as ajvFormats from 'ajv-formats';
import { diagnosisSchema } from '../../../../schemas/diagnosis.schema.js';
import type { Diagnosis } from '../../model/diagnosis.js';
import { OpsAssistantError } from '../../model/errors.js';

/** A document does not match the diagnosis schema; `errors` name each failing path. */
export class InvalidDiagnosisError extends OpsAssistantError {
  readonly errors: readonly string[];
  constructor(errors: readonly string[]) {
    super('INVALID_DIAGNOSIS', `diagnosis does not match the schema: ${errors.slice(0, 5).join('; ')}${errors.length > 5 ? `; and ${errors.length - 5} more` : ''}`);
    this.name = 'InvalidDiagnosisError';
    this.errors = errors;
  }
}

/** Result of {@link validateDiagnosis}: `errors` are `"<JSON pointer> <message>"`, e.g. `/hypotheses/0/confidence must be <= 1`. */
export type DiagnosisValidation = { readonly valid: true; readonly errors: readonly [] } | { readonly valid: false; readonly errors: readonly string[] };

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    const plugin = ((ajvFormats as unknown as { default?: unknown }).default ?? ajvFormats) as unknown as (a: unknown) => void;
    plugin(ajv);
    compiled = ajv.compile(diagnosisSchema);
  }
  return compiled;
}

function describe(error: ErrorObject): string {
  const path = error.instancePath || '/';
  if (error.keyword === 'additionalProperties') {
    return `${path} has unexpected property "${(error.params as { additionalProperty: string }).additionalProperty}"`;
  }
  if (error.keyword === 'enum') {
    return `${path} must be one of the allowed values (${(error.params as { allowedValues: unknown[] }).allowedValues.slice(0, 6).join(', ')}…)`;
  }
  return `${path} ${error.message ?? 'is invalid'}`;
}

/**
 * Validates any value against the diagnosis schema. The compiled validator is built once per process.
 *
 * @example
 *   const result = validateDiagnosis(JSON.parse(text));
 *   if (!result.valid) console.error(result.errors.join('\n'));
 */
export function validateDiagnosis(value: unknown): DiagnosisValidation {
  const validate = validator();
  // JSON semantics: what is validated is what would be written (undefined members dropped).
  const json = value === undefined ? value : JSON.parse(JSON.stringify(value));
  if (validate(json)) return { valid: true, errors: [] };
  return { valid: false, errors: (validate.errors ?? []).map(describe) };
}

/**
 * Throws unless `value` is a valid diagnosis.
 * @throws InvalidDiagnosisError listing each failing path.
 */
export function assertValidDiagnosis(value: unknown): asserts value is Diagnosis {
  const result = validateDiagnosis(value);
  if (!result.valid) throw new InvalidDiagnosisError(result.errors);
}
