import { useState } from 'preact/hooks';
import { call, messageOf } from './api.ts';
import type { Explanation } from './explanation.ts';
import { nodeLine } from './explanation.ts';
import { TextField } from './fields.tsx';

/** What `GET /v1/profiles/{uid}/explain?segment=CODE` answers. */
interface Explained {
  uid: string;
  segment: string;
  asOf: string;
  explanation: Explanation;
}

/** "is in london_pricing (at 12:00:00).": the verdict after the visitor's ID. */
function verdictOf(answer: Explained): string {
  const at = new Date(answer.asOf).toLocaleTimeString('en-GB');
  return `is ${answer.explanation.result ? 'in' : 'not in'} ${answer.segment} (at ${at}).`;
}

/** One node of the rule and, nested under it, the parts it is made of. */
function ExplanationNode({ node }: { node: Explanation }) {
  return (
    <li class={node.result ? 'yes' : 'no'}>
      <code>{nodeLine(node)}</code>
      {node.children !== undefined && node.children.length > 0 && (
        <ul>
          {node.children.map((child, i) => (
            <ExplanationNode key={i} node={child} />
          ))}
        </ul>
      )}
    </li>
  );
}

/**
 * "Why is this visitor in or out": a visitor's ID (the primary `uid`, as the explain route takes it) and
 * "Explain" ask `GET /v1/profiles/{uid}/explain` for this segment, and show in or out with the rule part
 * by part: each part's verdict and the value it saw.
 *
 * Example: `<WhyVisitor code="london_pricing" />`
 */
export function WhyVisitor({ code }: { code: string }) {
  const [uid, setUid] = useState('');
  const [answer, setAnswer] = useState<Explained | undefined>(undefined);
  const [error, setError] = useState('');
  const explain = async (event: Event) => {
    event.preventDefault();
    setError('');
    setAnswer(undefined);
    try {
      const visitor = encodeURIComponent(uid.trim());
      const path = `/v1/profiles/${visitor}/explain?segment=${encodeURIComponent(code)}`;
      setAnswer(await call<Explained>('GET', path));
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <section aria-labelledby="why-heading">
      <h2 id="why-heading">Why is this visitor in or out</h2>
      <form onSubmit={(e) => void explain(e)}>
        <TextField id="visitor-id" label="Visitor ID" value={uid} onValue={setUid} required />
        <button type="submit">Explain</button>
      </form>
      {error !== '' && <p role="alert">{error}</p>}
      <div aria-live="polite">
        {answer && (
          <>
            <p id="why-verdict">
              <strong>{answer.uid}</strong> {verdictOf(answer)}
            </p>
            <ul class="explain">
              <ExplanationNode node={answer.explanation} />
            </ul>
          </>
        )}
      </div>
    </section>
  );
}
