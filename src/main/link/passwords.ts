/**
 * Board passwords: kept in memory for the session, and written somewhere
 * only through a `SecretStore` (Electron's `safeStorage`-backed store, when
 * the user asks to remember one). Never a plain file, never a log line:
 * nothing here has a toString that could print a secret.
 */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, secret: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface PasswordKey {
  username: string;
  host: string;
  port: number;
}

export function passwordKeyOf(key: PasswordKey): string {
  return `${key.username}@${key.host.toLowerCase()}:${key.port}`;
}

/** A SecretStore that forgets everything when the process ends. */
export class MemorySecretStore implements SecretStore {
  readonly #secrets = new Map<string, string>();

  async get(key: string): Promise<string | undefined> {
    return this.#secrets.get(key);
  }

  async set(key: string, secret: string): Promise<void> {
    this.#secrets.set(key, secret);
  }

  async delete(key: string): Promise<void> {
    this.#secrets.delete(key);
  }
}

export class PasswordCache {
  readonly #session = new MemorySecretStore();
  readonly #remembered: SecretStore | undefined;

  /** `remembered`: where "remember this password" goes (safeStorage in Electron); absent: session only. */
  constructor(remembered?: SecretStore) {
    this.#remembered = remembered;
  }

  get canRemember(): boolean {
    return this.#remembered !== undefined;
  }

  async get(key: PasswordKey): Promise<string | undefined> {
    const id = passwordKeyOf(key);
    return (await this.#session.get(id)) ?? (await this.#remembered?.get(id));
  }

  /** Keeps the password for this session; `remember` also hands it to the secret store. */
  async set(key: PasswordKey, password: string, options: { remember?: boolean } = {}): Promise<void> {
    const id = passwordKeyOf(key);
    await this.#session.set(id, password);
    if (options.remember === true) {
      if (this.#remembered === undefined)
        throw new Error('This workbench cannot store passwords safely; it keeps them for this session only.');
      await this.#remembered.set(id, password);
    }
  }

  /** After a refused login: a wrong password must not be offered again. */
  async forget(key: PasswordKey): Promise<void> {
    const id = passwordKeyOf(key);
    await this.#session.delete(id);
    await this.#remembered?.delete(id);
  }
}
