import { useRef } from 'preact/hooks';
import type { RuleError } from './api.ts';
import { highlightRule, offsetOf } from './rule-tokens.ts';

/** A rule error as shown under the field: "line 1, column 1: unknown path 'url.pth'; did you mean …". */
export function ruleErrorText(err: RuleError): string {
  return `${err.line !== undefined ? `line ${err.line}, column ${err.column ?? 1}: ` : ''}${err.message}`;
}

/** What `RuleField` takes: the rule, how it changes, and the API's errors of this very text. */
export interface RuleFieldProps {
  id: string;
  value: string;
  onValue: (value: string) => void;
  readOnly?: boolean;
  /** the API's errors for `value` (none once the text changes: their places would be wrong) */
  errors: readonly RuleError[];
}

/**
 * The "Rule" textarea with its text coloured as it is typed: a `<pre aria-hidden>` behind the textarea
 * (whose own text is transparent) holds the same text in spans `tok-keyword`, `tok-field`,
 * `tok-string`, ... read by the rule language's lexer; text the lexer refuses and the token at each of
 * the API's errors also get `tok-error`. The errors are listed right under the field, each as
 * "line L, column C: message" with the API's did-you-mean.
 *
 * Example: `<RuleField id="rule" value={rule} onValue={setRule} errors={errorsOf(rule)} />`
 */
export function RuleField({ id, value, onValue, readOnly, errors }: RuleFieldProps) {
  const layer = useRef<HTMLPreElement>(null);
  const marks = errors.flatMap((e) => (e.line === undefined ? [] : [offsetOf(value, e.line, e.column ?? 1)]));
  const lines = value.split('\n').length;
  const follow = (area: HTMLTextAreaElement): void => {
    if (layer.current === null) return;
    layer.current.scrollTop = area.scrollTop;
    layer.current.scrollLeft = area.scrollLeft;
  };
  return (
    <>
      <label for={id}>Rule</label>
      <div class="rule-editor">
        <pre class="rule-highlight" aria-hidden="true" ref={layer}>
          {highlightRule(value, marks).map((piece, i) =>
            piece.kind === 'space' && !piece.error ? (
              piece.text
            ) : (
              <span key={i} class={`tok-${piece.kind}${piece.error ? ' tok-error' : ''}`}>
                {piece.text}
              </span>
            ),
          )}
          {'\n'}
        </pre>
        <textarea
          id={id}
          class="rule-input"
          rows={Math.max(4, lines + 1)}
          spellcheck={false}
          autocomplete="off"
          value={value}
          readOnly={readOnly}
          aria-describedby={`${id}-errors`}
          aria-invalid={errors.length > 0}
          onInput={(e) => {
            onValue(e.currentTarget.value);
            follow(e.currentTarget);
          }}
          onScroll={(e) => follow(e.currentTarget)}
        />
      </div>
      <ul id={`${id}-errors`} class="error rule-errors">
        {errors.map((err, i) => (
          <li key={i}>{ruleErrorText(err)}</li>
        ))}
      </ul>
    </>
  );
}
