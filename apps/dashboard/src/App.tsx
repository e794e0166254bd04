import { useCallback, useEffect, useMemo, useState } from 'react';
import { AdminClient } from './api/admin-client';
import { adminKeyStore } from './auth/admin-key-store';
import { Dashboard } from './components/Dashboard';
import { LoginScreen } from './components/LoginScreen';

/** Signed in (a key in this tab's session) or asking for the key. */
export function App() {
  const [adminKey, setAdminKey] = useState<string | null>(() => adminKeyStore.read());
  const [notice, setNotice] = useState<string>();

  const signOut = useCallback((message?: string) => {
    adminKeyStore.clear();
    setAdminKey(null);
    setNotice(message);
  }, []);

  const client = useMemo(
    () =>
      adminKey
        ? new AdminClient(adminKey, () =>
            signOut('The admin key is no longer accepted (401); it may have changed. Enter it again.'),
          )
        : null,
    [adminKey, signOut],
  );

  useEffect(() => {
    document.title = adminKey ? 'aigw · cost dashboard' : 'aigw · sign in';
  }, [adminKey]);

  if (!client) {
    return (
      <LoginScreen
        notice={notice}
        onLogin={(key) => {
          adminKeyStore.write(key);
          setNotice(undefined);
          setAdminKey(key);
        }}
      />
    );
  }
  return <Dashboard client={client} onSignOut={() => signOut()} />;
}
