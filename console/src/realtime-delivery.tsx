import type { FunnelStep } from './api.ts';
import { call } from './api.ts';
import { useLoad } from './pages.tsx';
import { FunnelChart } from './funnel-chart.tsx';
import type { Campaign, CampaignReport } from './campaign-api.ts';
import { campaignHref } from './campaign-api.ts';

/** The reports of the campaigns that deliver through `destination`, each cut to that destination. */
async function reportsFor(destination: string): Promise<{ report: CampaignReport; steps: FunnelStep[] }[]> {
  const { campaigns } = await call<{ campaigns: Campaign[] }>('GET', '/v1/campaigns');
  const mine = campaigns.filter((c) => c.destinations.includes(destination));
  const reports = await Promise.all(
    mine.map((c) => call<CampaignReport>('GET', `/v1/campaigns/${encodeURIComponent(c.code)}/report`)),
  );
  return reports.map((report) => ({
    report,
    steps: report.destinations.find((d) => d.destination === destination)?.realtime.steps ?? [],
  }));
}

/**
 * A real-time destination's delivery (openrtb, prebid, gam have no runs: they answer bids and ad
 * requests): for each campaign that names it, the real-time funnel the campaign report counts
 * (`GET /v1/campaigns/{code}/report`), as the same chart and table as a run's.
 */
export function RealtimeDelivery({ code, kind }: { code: string; kind: string }) {
  const { data, error } = useLoad(() => reportsFor(code));
  return (
    <section aria-labelledby="delivery-heading">
      <h2 id="delivery-heading">Delivery</h2>
      <p>
        Runs are for batch destinations (file, http): this {kind} destination delivers in real time, as bids
        and ad requests ask for its segments. Its counts are kept per campaign.
      </p>
      {error !== '' && <p role="alert">{error}</p>}
      {data && data.length === 0 && <p>No campaign delivers through {code} yet, so there are no counts.</p>}
      {data?.map(({ report, steps }) => (
        <section key={report.campaign} aria-labelledby={`campaign-${report.campaign}`}>
          <h3 id={`campaign-${report.campaign}`}>
            Campaign {report.name} (<a href={campaignHref(report.campaign)}>{report.campaign}</a>)
            {report.inFlight ? ', in flight' : ''}
          </h3>
          <FunnelChart
            steps={steps}
            id={`funnel-${report.campaign}`}
            caption={`Real-time delivery funnel of campaign ${report.campaign} through ${code}`}
          />
        </section>
      ))}
    </section>
  );
}
