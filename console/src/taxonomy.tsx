/** The taxonomy: the page is being built (issue 17). */
export function TaxonomyPage() {
  return <h1>The taxonomy</h1>;
}
