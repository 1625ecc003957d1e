// Named connection profiles, so a key need not live in the shell's history or environment:
// `~/.config/stripe-sql/config.json` (or $STRIPE_SQL_CONFIG), for example
//
//   { "default": "test",
//     "profiles": {
//       "test": { "apiKey": "sk_test_…" },
//       "live": { "apiKeyCommand": "op read op://Stripe/live/key", "readonly": true, "maxRequestsPerSecond": 10 },
//       "acme": { "apiKeyCommand": "pass stripe/platform", "accountId": "acct_…", "cache": "~/stripe/acme.db" } } }
//
// A key command runs through the shell and its standard output (trimmed) is the key. Errors
// about the file name the profile and the field, never a value.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { redactKey, scrubSecrets } from '../stripe/redact.js';

export interface Profile {
  apiKey?: string;
  /** A command whose output is the key (a password manager, a secrets store). */
  apiKeyCommand?: string;
  accountId?: string;
  baseUrl?: string;
  /** The request budget (requests per second). */
  maxRequestsPerSecond?: number;
  /** A replica (stripe-sql sync) to read from. */
  cache?: string;
  readonly?: boolean;
}

export interface ProfileConfig {
  /** The profile used when none is named and the environment gives no key. */
  default?: string;
  profiles: Record<string, Profile>;
}

export class ProfileError extends Error {
  override name = 'ProfileError';
}

const FIELDS: Record<keyof Profile, 'string' | 'number' | 'boolean'> = {
  apiKey: 'string',
  apiKeyCommand: 'string',
  accountId: 'string',
  baseUrl: 'string',
  maxRequestsPerSecond: 'number',
  cache: 'string',
  readonly: 'boolean',
};

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.STRIPE_SQL_CONFIG) return env.STRIPE_SQL_CONFIG;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'stripe-sql', 'config.json');
}

/** The configuration, checked; undefined when there is no file. */
export function loadConfig(path: string): ProfileConfig | undefined {
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    // JSON.parse's message quotes the text near the fault, which may be a key.
    throw new ProfileError(`${path} is not valid JSON${error instanceof SyntaxError && /position \d+/.test(error.message) ? ` (at ${/position \d+/.exec(error.message)![0]})` : ''}`);
  }
  if (!isObject(parsed) || !isObject(parsed.profiles)) throw new ProfileError(`${path}: expected { "profiles": { "name": { … } } }`);
  const profiles: Record<string, Profile> = {};
  for (const [name, value] of Object.entries(parsed.profiles)) {
    if (!isObject(value)) throw new ProfileError(`${path}: profile ${name} must be an object`);
    const profile: Record<string, unknown> = {};
    for (const [field, fieldValue] of Object.entries(value)) {
      const type = FIELDS[field as keyof Profile];
      if (!type) throw new ProfileError(`${path}: profile ${name} has an unknown field ${plainName(field)}; fields are ${Object.keys(FIELDS).join(', ')}`);
      if (typeof fieldValue !== type) throw new ProfileError(`${path}: profile ${name}: ${field} must be a ${type}`);
      profile[field] = fieldValue;
    }
    if (profile.apiKey !== undefined && profile.apiKeyCommand !== undefined) {
      throw new ProfileError(`${path}: profile ${name} has both apiKey and apiKeyCommand; keep one`);
    }
    profiles[name] = profile as Profile;
  }
  const config: ProfileConfig = { profiles };
  if (parsed.default !== undefined) {
    if (typeof parsed.default !== 'string' || !(parsed.default in profiles)) throw new ProfileError(`${path}: "default" must name one of its profiles`);
    config.default = parsed.default;
  }
  return config;
}

/** The named profile, or the default one when `name` is undefined (and there is one). */
export function pickProfile(config: ProfileConfig | undefined, name: string | undefined, path: string): Profile | undefined {
  if (name === undefined) return config?.default !== undefined ? config.profiles[config.default] : undefined;
  const profile = config && Object.hasOwn(config.profiles, name) ? config.profiles[name] : undefined;
  if (!profile) {
    const known = config ? Object.keys(config.profiles) : [];
    throw new ProfileError(`no profile named ${plainName(name)} in ${path}${known.length > 0 ? `; profiles: ${known.join(', ')}` : ''}`);
  }
  return profile;
}

/** The profile's key: as written, or what its key command prints. */
export function profileKey(profile: Profile, name: string): string | undefined {
  if (profile.apiKeyCommand === undefined) return profile.apiKey;
  let output: string;
  try {
    output = execSync(profile.apiKeyCommand, { encoding: 'utf8', stdio: ['inherit', 'pipe', 'inherit'] });
  } catch (error) {
    const status = (error as { status?: number }).status;
    throw new ProfileError(`the key command of profile ${name} failed${status !== undefined ? ` (exit ${status})` : ''}`);
  }
  const key = output.trim();
  if (!key) throw new ProfileError(`the key command of profile ${name} printed nothing`);
  return key;
}

/**
 * `stripe-sql profiles`: one line each, keys redacted. Key commands are shown (they are not run),
 * scrubbed like everything else in case one holds a key itself.
 */
export function profileNames(config: ProfileConfig | undefined): string[] {
  return config ? Object.keys(config.profiles) : [];
}

export function describeProfiles(config: ProfileConfig | undefined, path: string): string {
  if (!config || Object.keys(config.profiles).length === 0) return `No profiles (${path} does not exist or has none).\n`;
  const keys = Object.values(config.profiles).flatMap((p) => (p.apiKey !== undefined ? [p.apiKey] : []));
  const lines = Object.entries(config.profiles).map(([name, p]) => {
    const key = p.apiKey !== undefined ? `key ${redactKey(p.apiKey)}` : p.apiKeyCommand !== undefined ? `key from \`${p.apiKeyCommand}\`` : 'no key';
    const parts = [
      key,
      p.accountId !== undefined ? `account ${p.accountId}` : '',
      p.baseUrl !== undefined ? `base URL ${p.baseUrl}` : '',
      p.maxRequestsPerSecond !== undefined ? `${p.maxRequestsPerSecond} requests/s` : '',
      p.cache !== undefined ? `cache ${p.cache}` : '',
      p.readonly ? 'read-only' : '',
    ].filter((part) => part !== '');
    return scrubSecrets(`${name === config.default ? '*' : ' '} ${name}: ${parts.join(', ')}`, keys);
  });
  return `${path} (* = default)\n${lines.join('\n')}\n`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A name as an error may repeat it: plain words only (a misplaced key is not repeated). */
function plainName(name: string): string {
  return /^[\w.-]{1,40}$/.test(name) && !/^(sk|rk|pk)_/.test(name) ? `'${name}'` : '(a name not shown here)';
}
