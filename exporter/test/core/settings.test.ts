import { loadSettings } from '../../src/config/settings';
import { UserError } from '../../src/config/user-error';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshnessPolicy, freshnessState } from '../../src/connectors/freshness';

describe('settings', () => {
  it('has working defaults and an embedded demo without DATABASE_URL', () => {
    const s = loadSettings({});
    expect(s).toMatchObject({ PORT: 9464, COLLECT_INTERVAL_SECONDS: 15, METRICS_DETAIL: 'object', embedded: true, demo: true });
    expect(loadSettings({ DATABASE_URL: 'postgresql://u@h/db' })).toMatchObject({ embedded: false, demo: false });
  });

  it.each([
    ['PORT', 'eighty', /PORT="eighty"/],
    ['PORT', '70000', /PORT="70000".*65535/],
    ['COLLECT_INTERVAL_SECONDS', '0', /COLLECT_INTERVAL_SECONDS="0"/],
    ['METRICS_DETAIL', 'everything', /METRICS_DETAIL="everything".*object.*tenant.*platform/],
    ['DATABASE_URL', 'not a url', /DATABASE_URL="not a url"/],
    ['METRICS_TOKEN', 'short', /METRICS_TOKEN="short".*16/],
    ['STATUS_PUBLIC', 'yes', /STATUS_PUBLIC="yes".*"true".*"false"/],
    ['VERIFY_INTERVAL_SECONDS', '-1', /VERIFY_INTERVAL_SECONDS="-1".*>=0/],
    ['VERIFY_SAMPLE_TENANTS', '0', /VERIFY_SAMPLE_TENANTS="0".*>=1/],
    ['SHARD', '-1', /SHARD="-1".*shard number.*or platform/],
    ['SHARD', '1.5', /SHARD="1.5".*shard number.*or platform/],
    ['SHARD', 'all', /SHARD="all".*shard number.*or platform/],
    ['SHARD_COLLECTION', 'some', /SHARD_COLLECTION="some".*whole.*own/],
    ['TOTAL_SHARDS', '0', /TOTAL_SHARDS="0".*>=1/],
    ['TOTAL_SHARDS', 'three', /TOTAL_SHARDS="three"/],
  ])('rejects %s=%s naming the variable and what was expected', (key, value, message) => {
    let error: unknown;
    try {
      loadSettings({ [key]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(message);
  });

  it('takes SHARD from 0 to TOTAL_SHARDS - 1, unsharded by default, and names the setting to fix otherwise', () => {
    expect(loadSettings({})).toMatchObject({ SHARD: 0, TOTAL_SHARDS: 1 });
    expect(loadSettings({ SHARD: '2', TOTAL_SHARDS: '3' })).toMatchObject({ SHARD: 2, TOTAL_SHARDS: 3 });
    expect(() => loadSettings({ SHARD: '3', TOTAL_SHARDS: '3' })).toThrow(/SHARD="3": must be below TOTAL_SHARDS \(3\)/);
    expect(() => loadSettings({ SHARD: '1' })).toThrow(/SHARD="1": must be below TOTAL_SHARDS \(1\)/);
    // Without the tenant label the shards would each expose a partial sum under the same series.
    expect(() => loadSettings({ TOTAL_SHARDS: '2', METRICS_DETAIL: 'platform' })).toThrow(
      /METRICS_DETAIL="platform": cannot be platform with TOTAL_SHARDS > 1/,
    );
    expect(loadSettings({ TOTAL_SHARDS: '2', METRICS_DETAIL: 'tenant' }).METRICS_DETAIL).toBe('tenant');
  });

  it('takes SHARD_COLLECTION=own on a shard and SHARD=platform beside such shards, and refuses them elsewhere', () => {
    expect(loadSettings({})).toMatchObject({ SHARD_COLLECTION: 'whole' });
    expect(loadSettings({ SHARD: '1', TOTAL_SHARDS: '3', SHARD_COLLECTION: 'own' })).toMatchObject({ SHARD: 1, SHARD_COLLECTION: 'own' });
    expect(loadSettings({ SHARD: 'platform', TOTAL_SHARDS: '3' })).toMatchObject({ SHARD: 'platform', SHARD_COLLECTION: 'whole' });
    expect(() => loadSettings({ SHARD_COLLECTION: 'own' })).toThrow(/SHARD_COLLECTION="own": own needs a shard/);
    expect(() => loadSettings({ SHARD: 'platform', TOTAL_SHARDS: '3', SHARD_COLLECTION: 'own' })).toThrow(
      /SHARD_COLLECTION="own": own needs a shard/,
    );
    expect(() => loadSettings({ SHARD: 'platform' })).toThrow(/SHARD="platform": platform needs TOTAL_SHARDS > 1/);
    // verify reads every tenant: on a replica that holds a share it would hold them all again.
    expect(() => loadSettings({ SHARD: '0', TOTAL_SHARDS: '2', SHARD_COLLECTION: 'own', VERIFY_INTERVAL_SECONDS: '3600' })).toThrow(
      /VERIFY_INTERVAL_SECONDS="3600": must be 0 with SHARD_COLLECTION=own/,
    );
  });

  it('reads STATUS_PUBLIC strictly: true/1 and false/0, public by default', () => {
    expect(loadSettings({}).STATUS_PUBLIC).toBe(true);
    expect(['true', '1', 'false', '0'].map((value) => loadSettings({ STATUS_PUBLIC: value }).STATUS_PUBLIC)).toEqual([
      true,
      true,
      false,
      false,
    ]);
    for (const value of ['TRUE', 'no', 'off', ' 0']) expect(() => loadSettings({ STATUS_PUBLIC: value })).toThrow(/STATUS_PUBLIC=/);
  });

  it('reports every bad variable at once', () => {
    expect(() => loadSettings({ PORT: 'x', METRICS_DETAIL: 'y' })).toThrow(/PORT[\s\S]*METRICS_DETAIL/);
  });
});

describe('freshness thresholds (dbt-style)', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fresh-')), 'freshness.yml');

  it('reads per-provider overrides, and null switches a level off', () => {
    fs.writeFileSync(
      file,
      `
default: {warn_after: {count: 30, period: minute}, error_after: {count: 2, period: hour}}
providers:
  aws_cloudtrail: {warn_after: {count: 3, period: hour}, error_after: null}
`,
    );
    const policy = freshnessPolicy(3600, 21600, file);
    expect(policy.default).toEqual({ warnAfterSeconds: 1800, errorAfterSeconds: 7200 });
    expect(policy.providers.aws_cloudtrail).toEqual({ warnAfterSeconds: 10800, errorAfterSeconds: null });
    const now = Date.now();
    expect(freshnessState(now - 5 * 3600_000, now, policy.providers.aws_cloudtrail)).toBe('stale');
    expect(freshnessState(now - 5 * 3600_000, now, policy.default)).toBe('critical');
    expect(freshnessState(null, now, policy.default)).toBe('never');
  });

  it('names the bad field of a bad file', () => {
    fs.writeFileSync(file, `providers:\n  okta: {warn_after: {count: 3, period: fortnight}}\n`);
    expect(() => freshnessPolicy(3600, 21600, file)).toThrow(/providers\.okta\.warn_after\.period/);
  });
});
