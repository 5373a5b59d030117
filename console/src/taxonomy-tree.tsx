import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import type { IabNode, TaxonomyFolder, TaxonomyTrait, TaxonomyView } from './taxonomy-api.ts';
import { aboveMatches, byParent, countOf } from './taxonomy-api.ts';

/** Up to this many traits in view, every folder starts open; beyond, only the way down to the matches. */
export const OPEN_FOLDERS_UP_TO = 200;

/** A matched name is marked (`<mark>`), so the search's hits stand out in the tree. */
function Label({ text, match }: { text: string; match: boolean }) {
  return match ? <mark>{text}</mark> : <span>{text}</span>;
}

/**
 * A collapsible branch (`<details>`, keyboard usable through its `<summary>`) that renders its children
 * only while open, so a closed tree of 1,558 nodes costs one line per top node.
 *
 * Example: `<Branch summary="Demographic" open={false}>{() => <ul>…</ul>}</Branch>`
 */
export function Branch(props: {
  summary: ComponentChildren;
  open: boolean;
  children: () => ComponentChildren;
}) {
  const [open, setOpen] = useState(props.open);
  return (
    <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{props.summary}</summary>
      {open && props.children()}
    </details>
  );
}

/** A trait of a folder: its code links to its editor. */
function TraitItem({ trait }: { trait: TaxonomyTrait }) {
  return (
    <li>
      <a href={`#/traits/${encodeURIComponent(trait.code)}`}>{trait.code}</a>{' '}
      <Label text={trait.name} match={trait.match} /> <span class="kind">({trait.kind})</span>
    </li>
  );
}

/**
 * The tenant's folders as a tree, each with its traits (and how many lie under it), and the traits in no
 * folder. All folders start open while the view is small (`OPEN_FOLDERS_UP_TO` traits); otherwise
 * those holding a match, and the way down to them.
 */
export function FolderTree({ view }: { view: TaxonomyView }) {
  const { children, open, under } = useMemo(() => {
    const traits = view.folders.reduce((sum, f) => sum + f.traits.length, 0);
    const holding = view.folders.map((f) => ({ ...f, match: f.match || f.traits.some((t) => t.match) }));
    const paths = aboveMatches(
      holding,
      (f) => f.path,
      (f) => f.parent,
    );
    for (const f of holding) if (f.traits.some((t) => t.match)) paths.add(f.path);
    // the traits under each folder, its subfolders' included
    const under = new Map<string, number>();
    const parents = new Map(view.folders.map((f) => [f.path, f.parent]));
    for (const f of view.folders)
      for (let at: string | undefined = f.path; at !== undefined && at !== ''; at = parents.get(at))
        under.set(at, (under.get(at) ?? 0) + f.traits.length);
    return {
      children: byParent(view.folders, (f) => f.parent),
      open: (f: TaxonomyFolder) => traits <= OPEN_FOLDERS_UP_TO || paths.has(f.path),
      under: (f: TaxonomyFolder) => under.get(f.path) ?? 0,
    };
  }, [view]);
  const renderFolders = (parent: string) => (
    <ul class={parent === '' ? 'tree top' : 'tree'}>
      {(children.get(parent) ?? []).map((folder) => (
        <li key={folder.path}>
          <Branch
            open={open(folder)}
            summary={
              <>
                <Label text={folder.name} match={folder.match} />{' '}
                <span class="count">({countOf(under(folder), 'trait')})</span>
              </>
            }
          >
            {() => (
              <>
                {children.has(folder.path) && renderFolders(folder.path)}
                {folder.traits.length > 0 && (
                  <ul class="tree">
                    {folder.traits.map((t) => (
                      <TraitItem key={t.code} trait={t} />
                    ))}
                  </ul>
                )}
              </>
            )}
          </Branch>
        </li>
      ))}
    </ul>
  );
  if (view.folders.length === 0 && view.unfiled.length === 0)
    return <p>{view.q === '' ? 'No traits yet.' : 'No folder or trait matches the search.'}</p>;
  return (
    <>
      {view.folders.length > 0 && renderFolders('')}
      {view.unfiled.length > 0 && (
        <>
          <h3>Not in a folder</h3>
          <ul class="tree top">
            {view.unfiled.map((t) => (
              <TraitItem key={t.code} trait={t} />
            ))}
          </ul>
        </>
      )}
    </>
  );
}

/**
 * The IAB Audience Taxonomy as a tree by parent ID, each node with its ID and name. Closed at first; a
 * search opens the way down to its matches.
 */
export function IabTree({ view }: { view: TaxonomyView }) {
  const { children, open } = useMemo(
    () => ({
      children: byParent(view.iab.nodes, (n) => n.parent),
      open: aboveMatches(
        view.iab.nodes,
        (n) => n.id,
        (n) => n.parent,
      ),
    }),
    [view],
  );
  const renderNodes = (parent: string) => (
    <ul class={parent === '' ? 'tree top' : 'tree'}>
      {(children.get(parent) ?? []).map((node) => (
        <li key={node.id}>
          {children.has(node.id) ? (
            <Branch open={open.has(node.id)} summary={<IabLine node={node} />}>
              {() => renderNodes(node.id)}
            </Branch>
          ) : (
            <IabLine node={node} />
          )}
        </li>
      ))}
    </ul>
  );
  if (view.iab.nodes.length === 0) return <p>No IAB node matches the search.</p>;
  return renderNodes('');
}

/** "3 Demographic | Age Range | 18-20": the node's ID, then its name. */
function IabLine({ node }: { node: IabNode }) {
  return (
    <span class="node">
      <code>{node.id}</code> <Label text={node.name} match={node.match} />
    </span>
  );
}
