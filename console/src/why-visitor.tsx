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

/** The built-in ID types a visitor can be found by; a partner's IDs go under the partner's code. */
const ID_TYPES = ['uid', 'maid', 'email_sha256', 'phone_sha256', 'crm'];

/**
 * "Why is this visitor in or out": any of a visitor's IDs (our `uid`, a mobile ad ID, a hashed e-mail,
 * a partner's ID under its code) and "Explain" ask `GET /v1/profiles/{uid}/explain` (with `idType` and
 * `id` for another ID type) for this segment, and show in or out with the rule part by part: each part's
 * verdict and the value it saw.
 *
 * Example: `<WhyVisitor code="london_pricing" />`
 */
export function WhyVisitor({ code }: { code: string }) {
  const [uid, setUid] = useState('');
  const [idType, setIdType] = useState('uid');
  const [answer, setAnswer] = useState<Explained | undefined>(undefined);
  const [error, setError] = useState('');
  const explain = async (event: Event) => {
    event.preventDefault();
    setError('');
    setAnswer(undefined);
    try {
      const id = encodeURIComponent(uid.trim());
      const segment = encodeURIComponent(code);
      const type = encodeURIComponent(idType.trim());
      const path =
        idType.trim() === 'uid'
          ? `/v1/profiles/${id}/explain?segment=${segment}`
          : `/v1/profiles/-/explain?segment=${segment}&idType=${type}&id=${id}`;
      setAnswer(await call<Explained>('GET', path));
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <section aria-labelledby="why-heading">
      <h2 id="why-heading">Why is this visitor in or out</h2>
      <form onSubmit={(e) => void explain(e)}>
        <label for="visitor-id-type">ID type</label>
        <input
          id="visitor-id-type"
          list="visitor-id-types"
          value={idType}
          onInput={(e) => setIdType(e.currentTarget.value)}
          required
        />
        <datalist id="visitor-id-types">
          {ID_TYPES.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
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
