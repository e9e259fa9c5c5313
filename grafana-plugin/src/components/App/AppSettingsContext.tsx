import { createContext, useContext } from 'react';
import type { AppSettings } from '../../types';

/** The plugin's saved jsonData, for pages that adapt to it (the traces data source for trace links). */
export const AppSettingsContext = createContext<AppSettings>({});
export const useAppSettings = () => useContext(AppSettingsContext);
