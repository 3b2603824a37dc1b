/** Variable names that usually hold credentials: API keys, tokens, passwords, auth sockets. */
const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH|PRIVATE|COOKIE|SESSION/i;

/** Values that are credentials whatever the variable is called: provider key prefixes, URLs with a password. */
const SECRET_VALUE = /^(sk-|ghp_|gho_|ghs_|ghu_|github_pat_|glpat-|xox[abpr]-|AKIA|AIza)|:\/\/[^/\s:@]+:[^/\s@]+@/;

/** True when a variable looks like it holds a secret and must not reach executed code. */
export function isSecretVariable(name: string, value: string): boolean {
  return SECRET_NAME.test(name) || SECRET_VALUE.test(value);
}

/**
 * The environment executed code gets: the parent's, minus anything that looks like a secret
 * (OPENAI_API_KEY, GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY, a database URL with a password...),
 * plus `extra`, which the caller chose to pass on purpose. PATH, HOME, LANG and the like stay.
 */
export function safeEnvironment(
  source: NodeJS.ProcessEnv = process.env,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined || isSecretVariable(name, value)) continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}
