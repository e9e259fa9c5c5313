import { act, renderHook, waitFor } from '@testing-library/react';
import { delay, http, HttpResponse } from 'msw';
import { PROXY_BASE_URL } from '../constants';
import { server } from '../test/mockApi';
import { useApi } from './useApi';

const WAIT = { timeout: 15000 };
const SLOW = `${PROXY_BASE_URL}/rule-runs?rule=slow`;
const FAST = `${PROXY_BASE_URL}/rule-runs?rule=fast`;

describe('useApi', () => {
  it('drops an answer that arrives after the URL changed, so a slow old filter never replaces the new one', async () => {
    let slowAnswered = false;
    server.use(
      http.get('*/api/plugin-proxy/aperio-observability-app/rule-runs', async ({ request }) => {
        const rule = new URL(request.url).searchParams.get('rule');
        if (rule === 'slow') {
          await delay(400);
          slowAnswered = true;
        }
        return HttpResponse.json({ rule });
      })
    );
    const { result, rerender } = renderHook(({ url }) => useApi<{ rule: string }>(url), {
      initialProps: { url: SLOW },
    });
    rerender({ url: FAST });
    await waitFor(() => expect(result.current.data).toEqual({ rule: 'fast' }), WAIT);
    await waitFor(() => expect(slowAnswered).toBe(true), WAIT);
    // Give the late answer every chance to land.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(result.current.data).toEqual({ rule: 'fast' });
    expect(result.current.loading).toBe(false);
  });

  it('keeps the last data visible while a reload runs', async () => {
    const { result } = renderHook(() => useApi<{ data: unknown[] }>(`${PROXY_BASE_URL}/rule-runs`));
    await waitFor(() => expect(result.current.data?.data).toHaveLength(7), WAIT);
    act(() => result.current.reload());
    expect(result.current.loading).toBe(true);
    expect(result.current.data?.data).toHaveLength(7);
    await waitFor(() => expect(result.current.loading).toBe(false), WAIT);
  });
});
