import fs from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';
import { UserError } from './user-error';

/**
 * Parses a YAML configuration text against its schema; any problem (YAML syntax, a wrong field) becomes
 * one UserError naming the setting, the file and each bad field by its path, with what was expected.
 */
export function parseYamlConfig<S extends z.ZodType>(
  text: string,
  schema: S,
  setting: string,
  source: string,
  expected: string,
): z.infer<S> {
  try {
    return schema.parse(YAML.parse(text) ?? {});
  } catch (err) {
    const detail =
      err instanceof z.ZodError
        ? err.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`).join('; ')
        : (err as Error).message;
    throw new UserError(`${setting} ${source} is not valid: ${detail}`, expected);
  }
}

/** Reads and parses a YAML configuration file named by a setting (see parseYamlConfig). */
export function loadYamlConfig<S extends z.ZodType>(path: string, schema: S, setting: string, expected: string): z.infer<S> {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(
      `${setting} ${path} cannot be read: ${(err as Error).message}`,
      `point ${setting} at a readable YAML file, or unset it`,
    );
  }
  return parseYamlConfig(text, schema, setting, path, expected);
}
