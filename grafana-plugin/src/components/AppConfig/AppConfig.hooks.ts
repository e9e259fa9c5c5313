import { useState } from 'react';
import type { PluginMeta } from '@grafana/data';
import type { AppSettings } from '../../types';
import { saveSettings, testConnection, type ConnectionResult } from './connection';

export function useConnectionTest() {
  const [result, setResult] = useState<ConnectionResult>();
  const [running, setRunning] = useState(false);
  const run = async () => {
    setRunning(true);
    setResult(undefined);
    setResult(await testConnection());
    setRunning(false);
  };
  return { result, running, run };
}

export function useSaveSettings(meta: PluginMeta<AppSettings>) {
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();
  const save = async (settings: AppSettings, token: string | null) => {
    setSaving(true);
    setError(undefined);
    try {
      await saveSettings(meta, settings, token);
      return true;
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Grafana could not save the settings');
      return false;
    } finally {
      setSaving(false);
    }
  };
  return { saving, error, save };
}
