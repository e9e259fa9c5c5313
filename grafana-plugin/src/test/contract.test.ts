import { contractProblems, templateOf, undeclaredParameters } from './contract';
import * as fixtures from './fixtures';

// The checker itself must catch drift, or a green run of the page tests proves nothing about the contract.
describe('the mock API contract check', () => {
  it('maps exporter paths onto the OpenAPI templates', () => {
    expect(templateOf('/v1/rule-runs/99')).toBe('/v1/rule-runs/{id}');
    expect(templateOf('/v1/rule-runs/export')).toBe('/v1/rule-runs/export');
    expect(templateOf('/v1/nothing')).toBeNull();
  });

  it('accepts the fixtures as the exporter would send them', () => {
    expect(
      contractProblems('/v1/health/connectors', 200, { ...fixtures.snapshotMeta('acme'), data: fixtures.connectors })
    ).toEqual([]);
    expect(contractProblems('/v1/health/siem', 200, { ...fixtures.snapshotMeta('acme'), data: fixtures.siem })).toEqual(
      []
    );
    expect(contractProblems('/v1/health/ingestion', 200, fixtures.ingestion)).toEqual([]);
    expect(contractProblems('/status.json', 200, fixtures.statusSummary)).toEqual([]);
  });

  it('rejects an answer with a field the exporter does not send, or without one it always sends', () => {
    const [first] = fixtures.connectors;
    expect(
      contractProblems('/v1/health/connectors', 200, { ...fixtures.snapshotMeta(null), data: [{ ...first, extra: 1 }] })
    ).not.toEqual([]);
    const { lastError, ...withoutError } = first;
    expect(lastError).toBeDefined();
    expect(
      contractProblems('/v1/health/connectors', 200, { ...fixtures.snapshotMeta(null), data: [withoutError] })
    ).not.toEqual([]);
    expect(contractProblems('/v1/whoami', 401, { message: 'no' })).not.toEqual([]);
  });

  it('knows which query parameters each route declares', () => {
    expect(undeclaredParameters('/v1/rule-runs', new URLSearchParams('rule=x&tenant=acme&cursor=c'))).toEqual([]);
    expect(undeclaredParameters('/v1/rule-runs', new URLSearchParams('sort=name'))).toEqual(['sort']);
  });
});
