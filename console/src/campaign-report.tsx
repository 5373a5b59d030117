import { useEffect, useState } from 'preact/hooks';
import { call, messageOf } from './api.ts';
import type { CampaignReport, DestinationDelivery } from './campaign-api.ts';
import { destinationHref } from './destinations.tsx';
import { FunnelChart } from './funnel-chart.tsx';
import { DataTable } from './data-table.tsx';

/** The count of a step of a destination's total funnel, or 0. */
function countOf(d: DestinationDelivery, step: string): number {
  return d.total.steps.find((s) => s.step === step)?.count ?? 0;
}

/**
 * A campaign's delivery report (`GET /v1/campaigns/{code}/report`), read again each time `version`
 * changes: a table of its destinations (kind, how it delivers, batch runs, eligible, sent, acknowledged)
 * and, for each, the funnel of its whole delivery (real-time counts and batch runs together) as the same
 * chart and table as a run's.
 *
 * Example: `<CampaignDeliveryReport code="xmas" version={runsEnded} />`
 */
export function CampaignDeliveryReport({ code, version }: { code: string; version: number }) {
  const [report, setReport] = useState<CampaignReport | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    call<CampaignReport>('GET', `/v1/campaigns/${encodeURIComponent(code)}/report`)
      .then((r) => {
        setReport(r);
        setError('');
      })
      .catch((e: unknown) => setError(messageOf(e)));
  }, [code, version]);

  return (
    <section aria-labelledby="report-heading">
      <h2 id="report-heading">Delivery report</h2>
      {error !== '' && <p role="alert">{error}</p>}
      {report && (
        <>
          <p id="report-at">
            As of {new Date(report.at).toLocaleString('en-GB')}; the campaign is{' '}
            {report.inFlight ? 'in flight' : 'not in flight'}.
          </p>
          <DataTable
            caption={<>Delivery of campaign {report.campaign} by destination</>}
            columns={['Destination', 'Kind', 'Delivery', 'Batch runs', 'Eligible', 'Sent', 'Acknowledged']}
          >
            {report.destinations.map((d) => (
              <tr key={d.destination} data-destination={d.destination}>
                <th scope="row">
                  <a href={destinationHref(d.destination)}>{d.destination}</a>
                </th>
                <td>{d.kind ?? 'deleted'}</td>
                <td>{d.delivery === 'batch' ? 'batch runs' : 'real time'}</td>
                <td>{d.batch.runs.toLocaleString('en')}</td>
                <td>{countOf(d, 'eligible').toLocaleString('en')}</td>
                <td>{countOf(d, 'sent').toLocaleString('en')}</td>
                <td>{countOf(d, 'acknowledged').toLocaleString('en')}</td>
              </tr>
            ))}
          </DataTable>
          {report.destinations.map((d) => (
            <section key={d.destination} aria-labelledby={`delivery-${d.destination}`}>
              <h3 id={`delivery-${d.destination}`}>Funnel through {d.destination}</h3>
              <FunnelChart
                steps={d.total.steps}
                id={`funnel-${d.destination}`}
                caption={`Delivery funnel of campaign ${report.campaign} through ${d.destination} (real time and batch runs)`}
              />
            </section>
          ))}
        </>
      )}
    </section>
  );
}
