const STORAGE_KEY = 'aigw.adminKey';

/**
 * The admin key lives in sessionStorage: typed once per browser session (it survives a
 * reload of the tab), gone when the tab closes, never sent anywhere but this origin's
 * admin API.
 */
export const adminKeyStore = {
  read(): string | null {
    try {
      return sessionStorage.getItem(STORAGE_KEY);
    } catch {
      return null;
    }
  },
  write(key: string): void {
    sessionStorage.setItem(STORAGE_KEY, key);
  },
  clear(): void {
    sessionStorage.removeItem(STORAGE_KEY);
  },
};
