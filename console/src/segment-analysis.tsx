import type { Session } from './api.ts';
import { OverlapSection } from './overlap-section.tsx';
import { TrendSection } from './trend-chart.tsx';
import { InsightsTable } from './insights-table.tsx';
import { WhyVisitor } from './why-visitor.tsx';

/** The roles with the API's `compute` permission (src/core/roles.ts); the API checks it again. */
const ANALYSTS = new Set(['analyst', 'editor', 'admin']);

/**
 * The analysis of a saved segment, below its editor: overlap with other segments (a matrix, a Venn
 * diagram for three), the daily size, insights and "why is this visitor in or out". All of them need the
 * `compute` permission: a viewer sees one sentence saying so instead.
 *
 * Example: `<SegmentAnalysis code="london_pricing" session={session} />`
 */
export function SegmentAnalysis({ code, session }: { code: string; session: Session }) {
  if (!ANALYSTS.has(session.role)) {
    return (
      <section aria-labelledby="analysis-heading">
        <h2 id="analysis-heading">Analysis</h2>
        <p>
          Your role ({session.role}) may read this segment but not analyse it: overlaps, the daily size,
          insights and "why is this visitor in or out" need the analyst role (the API's compute permission).
        </p>
      </section>
    );
  }
  return (
    <>
      <OverlapSection code={code} />
      <TrendSection code={code} />
      <InsightsTable code={code} />
      <WhyVisitor code={code} />
    </>
  );
}
