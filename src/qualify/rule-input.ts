import type { CheckContext } from '../core/rules/scope.ts';
import type { Rule } from '../core/rules/index.ts';
import { checkRule, printRule, ruleFromJson } from '../core/rules/index.ts';
import { ServiceError } from '../core/service-error.ts';

/**
 * Checks a rule sent to the API, as text (docs/rule-language.md) or in its JSON form, and returns it with its
 * normalised text. A rule that does not check is a 422 listing every error with line and column.
 *
 * Example: `checkRuleInput('trait:pricing_visitor[within 30d]', ctx)` -> `{ rule, text }`.
 */
export function checkRuleInput(input: unknown, ctx: CheckContext): { rule: Rule; text: string } {
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else if (typeof input === 'object' && input !== null) {
    const fromJson = ruleFromJson(input);
    if (!fromJson.ok) {
      throw new ServiceError(422, 'invalid_rule', 'the rule (JSON form) is not valid', {
        field: 'rule',
        errors: fromJson.errors,
      });
    }
    text = printRule(fromJson.rule);
  } else {
    throw new ServiceError(
      422,
      'invalid_rule',
      'rule must be the rule text (docs/rule-language.md) or its JSON form',
      {
        field: 'rule',
      },
    );
  }
  const checked = checkRule(text, ctx);
  if (!checked.ok) {
    const first = checked.errors[0];
    const where =
      first === undefined ? '' : ` (line ${first.line}, column ${first.column}: ${first.message})`;
    throw new ServiceError(422, 'invalid_rule', `the rule does not check${where}`, {
      field: 'rule',
      errors: checked.errors,
    });
  }
  return { rule: checked.rule, text };
}

const CODE = /^[a-z0-9_-]{1,64}$/;

/** A trait's or segment's code, as docs/rule-language.md's `id`. */
export function checkCode(code: string, what: 'trait' | 'segment'): void {
  if (!CODE.test(code)) {
    throw new ServiceError(
      422,
      'invalid_code',
      `${what} code '${code}' is not valid: use 1 to 64 of a-z, 0-9, _ and - (it is how rules name it: ${what}:${code.toLowerCase().replace(/[^a-z0-9_-]/g, '_') || 'x'})`,
      { field: 'code' },
    );
  }
}
