import { dateTimeFormat, dateTimeFormatTimeAgo } from '@grafana/data';

export const absoluteTime = (iso: string | null) => (iso ? dateTimeFormat(iso) : '—');
export const relativeTime = (iso: string | null) => (iso ? dateTimeFormatTimeAgo(iso) : 'never');

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) {
    return '—';
  }
  if (ms < 1000) {
    return `${ms} ms`;
  }
  const seconds = ms / 1000;
  if (seconds < 60) {
    return `${seconds.toFixed(1)} s`;
  }
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds % 60)} s`;
}

export function formatSeconds(seconds: number | null): string {
  if (seconds === null) {
    return 'off';
  }
  if (seconds % 3600 === 0) {
    return `${seconds / 3600} h`;
  }
  if (seconds % 60 === 0) {
    return `${seconds / 60} min`;
  }
  return `${seconds} s`;
}

export const formatPercent = (ratio: number | null) =>
  ratio === null ? '—' : `${(ratio * 100).toFixed(ratio === 1 ? 0 : 2)} %`;
