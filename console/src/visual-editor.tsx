import type { Condition, VisualRule } from './visual-rule.ts';

/** A blank condition of each kind, for "Add condition" and for changing a condition's kind. */
const BLANK: Record<Condition['kind'], Condition> = {
  trait: { kind: 'trait', code: '', days: undefined },
  city: { kind: 'city', city: '' },
  visits: { kind: 'visits', least: 1 },
};

/** A whole number from a field, or `undefined` when it is empty or not a number. */
function count(value: string): number | undefined {
  return /^\d+$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

/**
 * The visual mode: one row per condition (kind, then its fields), the word joining them, and buttons to
 * add and remove conditions. Every field has a label naming its condition ("Condition 2 city"), so a
 * screen reader, and a test, can tell the rows apart.
 */
export function VisualEditor({ value, onChange }: { value: VisualRule; onChange: (v: VisualRule) => void }) {
  const set = (i: number, c: Condition) =>
    onChange({ ...value, conditions: value.conditions.map((old, j) => (j === i ? c : old)) });
  return (
    <fieldset class="visual">
      <legend>Conditions</legend>
      <label for="join">Join conditions with</label>
      <select
        id="join"
        value={value.join}
        onChange={(e) => onChange({ ...value, join: e.currentTarget.value === 'or' ? 'or' : 'and' })}
      >
        <option value="and">and (all of them)</option>
        <option value="or">or (any of them)</option>
      </select>
      <ol>
        {value.conditions.map((c, i) => (
          <li key={i}>
            <Row n={i + 1} condition={c} onChange={(next) => set(i, next)} />
            <button
              type="button"
              onClick={() => onChange({ ...value, conditions: value.conditions.filter((_, j) => j !== i) })}
            >
              Remove condition {i + 1}
            </button>
          </li>
        ))}
      </ol>
      <button
        type="button"
        onClick={() => onChange({ ...value, conditions: [...value.conditions, BLANK.trait] })}
      >
        Add condition
      </button>
    </fieldset>
  );
}

/** One condition's fields. */
function Row({
  n,
  condition: c,
  onChange,
}: {
  n: number;
  condition: Condition;
  onChange: (c: Condition) => void;
}) {
  const id = `c${n}`;
  return (
    <>
      <label for={`${id}-kind`}>Condition {n} kind</label>
      <select
        id={`${id}-kind`}
        value={c.kind}
        onChange={(e) => onChange(BLANK[e.currentTarget.value as Condition['kind']])}
      >
        <option value="trait">has the trait</option>
        <option value="city">lives in the city</option>
        <option value="visits">visited at least</option>
      </select>
      {c.kind === 'trait' && (
        <>
          <label for={`${id}-trait`}>Condition {n} trait</label>
          <input
            id={`${id}-trait`}
            value={c.code}
            onInput={(e) => onChange({ ...c, code: e.currentTarget.value.trim() })}
          />
          <label for={`${id}-days`}>Condition {n} in the last N days (empty: ever)</label>
          <input
            id={`${id}-days`}
            inputMode="numeric"
            value={c.days ?? ''}
            onInput={(e) => onChange({ ...c, days: count(e.currentTarget.value) })}
          />
        </>
      )}
      {c.kind === 'city' && (
        <>
          <label for={`${id}-city`}>Condition {n} city</label>
          <input
            id={`${id}-city`}
            value={c.city}
            onInput={(e) => onChange({ ...c, city: e.currentTarget.value })}
          />
        </>
      )}
      {c.kind === 'visits' && (
        <>
          <label for={`${id}-visits`}>Condition {n} visits</label>
          <input
            id={`${id}-visits`}
            inputMode="numeric"
            value={c.least}
            onInput={(e) => onChange({ ...c, least: count(e.currentTarget.value) ?? 0 })}
          />
        </>
      )}
    </>
  );
}
