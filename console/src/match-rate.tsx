import { useEffect, useState } from 'preact/hooks';
import { call, messageOf } from './api.ts';
import type { MatchRate } from './partner-data.ts';
import { percent } from './partner-data.ts';

const BAR_W = 120;
const BAR_H = 12;

/**
 * One partner's match rate: the percentage, how many of the tenant's live profiles that is, and a bar
 * whose filled part is the rate (an image whose name says the numbers). Loaded when shown.
 */
export function MatchRateCell({ code }: { code: string }) {
  const [rate, setRate] = useState<MatchRate | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    call<MatchRate>('GET', `/v1/partners/${encodeURIComponent(code)}/match-rate`)
      .then(setRate)
      .catch((e: unknown) => setError(messageOf(e)));
  }, [code]);
  if (error !== '') return <span class="error">{error}</span>;
  if (rate === undefined) return <span>Computing…</span>;
  const words = `${percent(rate.rate)}: ${rate.matched.toLocaleString('en')} of ${rate.profiles.toLocaleString('en')} profiles`;
  const filled = Math.round(Math.min(1, Math.max(0, rate.rate)) * BAR_W);
  return (
    <span class="match-rate" data-partner={code}>
      <svg
        role="img"
        aria-label={`Match rate ${words}`}
        width={BAR_W}
        height={BAR_H}
        viewBox={`0 0 ${BAR_W} ${BAR_H}`}
      >
        <rect x={0} y={0} width={BAR_W} height={BAR_H} fill="#e6e6e6" stroke="#767676" />
        <rect x={0} y={0} width={filled} height={BAR_H} fill="#1a5fb4" />
      </svg>{' '}
      <strong class="rate">{percent(rate.rate)}</strong> ({rate.matched.toLocaleString('en')} of{' '}
      {rate.profiles.toLocaleString('en')} profiles)
      <br />
      <small>
        by age of the ID (days):{' '}
        {Object.entries(rate.byAgeDays)
          .map(([age, n]) => `${age}: ${n.toLocaleString('en')}`)
          .join(', ')}
      </small>
    </span>
  );
}
