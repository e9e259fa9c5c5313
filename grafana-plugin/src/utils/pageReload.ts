/**
 * Grafana reads an app's settings when the page loads: after saving them, the page is reloaded (as
 * create-plugin's template does with `updatePluginAndReload`) so the app and its navigation use them.
 * An object, so tests can observe the reload without leaving the page.
 */
export const pageReload = {
  reload: () => window.location.reload(),
};
