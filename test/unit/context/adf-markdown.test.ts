import fc from 'fast-check';
import type { Nodes } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTable } from 'micromark-extension-gfm-table';
import { adfToMarkdown, truncateMarkdown } from '../../../src/context/adf-markdown';
import {
  bullets,
  code,
  codeBlock,
  date,
  doc,
  em,
  emoji,
  expand,
  h,
  hardBreak,
  inlineCard,
  link,
  media,
  mention,
  numbered,
  p,
  panel,
  quote,
  rule,
  status,
  strike,
  strong,
  table,
  tasks,
  text,
} from '../../harness/fixtures/adf';
import { PEOPLE, REQUIREMENTS } from '../../harness/fixtures/demo-requirements';
import type { AdfNode } from '../../harness/jira-sim/store';
import { OutcomeTally } from '../../harness/property-report';

const md = (...content: AdfNode[]): string => adfToMarkdown(doc(...content));
const node = (type: string, attrs?: Record<string, unknown>, ...content: AdfNode[]): AdfNode => ({
  type,
  ...(attrs === undefined ? {} : { attrs }),
  ...(content.length === 0 ? {} : { content }),
});
const marked = (value: string, type: string, attrs?: Record<string, unknown>): AdfNode =>
  text(value, attrs === undefined ? { type } : { type, attrs });

/**
 * What a reader of the Markdown sees: the output parsed back (CommonMark + GFM tables) and the values
 * of its text, code and HTML nodes in order, so escapes and character references are undone exactly as
 * a renderer would.
 */
function rendered(markdown: string): string {
  const tree = fromMarkdown(markdown, {
    extensions: [gfmTable()],
    mdastExtensions: [gfmTableFromMarkdown()],
  });
  const values: string[] = [];
  const visit = (node: Nodes): void => {
    if ('value' in node && typeof node.value === 'string') values.push(node.value);
    if ('children' in node) for (const child of node.children) visit(child);
  };
  visit(tree);
  return values.join('');
}

/** Every text node's text in document order, walking `content` like the converter does. */
function textsOf(value: unknown): string[] {
  const found: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (Array.isArray(current)) {
      stack.push(...(current as unknown[]).slice().reverse());
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    const record = current as Record<string, unknown>;
    if (record.type === 'text' && typeof record.text === 'string') found.push(record.text);
    if (record.content !== undefined) stack.push(record.content);
  }
  return found;
}

/** The words of every text node that a reader of the Markdown does not see, in document order. */
function missingWords(input: unknown, markdown: string): string[] {
  const shown = rendered(markdown);
  let cursor = 0;
  return textsOf(input)
    .flatMap((value) => value.split(/\s+/))
    .filter((word) => {
      if (word === '') return false;
      const at = shown.indexOf(word, cursor);
      if (at < 0) return true;
      cursor = at + word.length;
      return false;
    });
}

/** No trace of a value printed as a string by mistake (unless the input itself says it). */
function expectClean(markdown: string, input?: unknown): void {
  expect(typeof markdown).toBe('string');
  const said = JSON.stringify(input) ?? '';
  for (const [token, pattern] of [
    ['[object Object]', /\[object Object\]/],
    ['undefined', /\bundefined\b/],
    ['NaN', /\bNaN\b/],
  ] as const) {
    if (!said.includes(token)) expect(markdown).not.toMatch(pattern);
  }
}

describe('adfToMarkdown: nodes', () => {
  it('writes paragraphs and headings, clamping odd levels', () => {
    expect(md(h(2, 'Context'), p('As a shopper I want to pay.'))).toBe(
      '## Context\n\nAs a shopper I want to pay.',
    );
    expect(md(node('heading', { level: 9 }, text('Deep')))).toBe('###### Deep');
    expect(md(node('heading', undefined, text('No attrs')))).toBe('# No attrs');
    expect(md(node('heading', { level: 2 }, text('Two'), hardBreak(), text('lines')))).toBe('## Two lines');
  });

  it('writes nested bullet lists and ordered lists from their start', () => {
    const nested = bullets([p('Cards'), bullets('Visa', 'Mastercard')], 'Wallets');
    expect(md(nested)).toBe('- Cards\n  - Visa\n  - Mastercard\n- Wallets');
    const ordered = { ...numbered('Open the basket', 'Pay'), attrs: { order: 3 } };
    expect(md(ordered)).toBe('3. Open the basket\n4. Pay');
    expect(md({ ...numbered('First'), attrs: { order: 'x' } })).toBe('1. First');
    expect(md(bullets('One'), bullets('Two'))).toBe('- One\n\n* Two');
  });

  it('fences code blocks with their language, longer than any fence inside', () => {
    expect(md(codeBlock('json', '{\n  "confirm": true\n}'))).toBe('```json\n{\n  "confirm": true\n}\n```');
    const tricky = node('codeBlock', { language: 'markdown' }, text('Use ```js\n'), text('fences```'));
    expect(md(tricky)).toBe('````markdown\nUse ```js\nfences```\n````');
    expect(md(node('codeBlock', { language: 'a b`c' }, text('x')))).toBe('```\nx\n```');
  });

  it('writes blockquotes and labelled panels', () => {
    expect(md(quote(p(em('"I bought three presents."'))))).toBe('> *"I bought three presents."*');
    expect(md(panel('info', p('Guest orders are linked later.')))).toBe(
      '> **Info:** Guest orders are linked later.',
    );
    expect(md(panel('warning', p('Never store the CVC.'), p('Tokens only.')))).toBe(
      '> **Warning:** Never store the CVC.\n>\n> Tokens only.',
    );
    for (const [type, label] of [
      ['note', 'Note'],
      ['success', 'Success'],
      ['error', 'Error'],
    ] as const) {
      expect(md(panel(type, p('x')))).toBe(`> **${label}:** x`);
    }
    expect(md(node('panel', { panelType: 'custom', panelIcon: ':star:' }, bullets('a')))).toBe(
      '> **Note:**\n>\n> - a',
    );
  });

  it('writes rules and hard breaks', () => {
    expect(md(p('Above'), rule(), p('Below'))).toBe('Above\n\n---\n\nBelow');
    expect(md(p('Given a guest', hardBreak(), 'When paying'))).toBe('Given a guest\\\nWhen paying');
    expect(md(p(hardBreak(), 'Trimmed', hardBreak()))).toBe('Trimmed');
  });

  it('writes mentions by display name', () => {
    expect(md(p('Agreed with ', mention(PEOPLE.po.accountId, PEOPLE.po.displayName), '.'))).toBe(
      'Agreed with @Priya Product.',
    );
    const names: Record<string, string> = { 'qa-account-id': 'Quinn QA' };
    const bare = p(node('mention', { id: 'qa-account-id' }));
    expect(adfToMarkdown(doc(bare), { mentionName: (id) => names[id] })).toBe('@Quinn QA');
    expect(adfToMarkdown(doc(bare))).toBe('@user');
    const throwing = () => {
      throw new Error('directory down');
    };
    expect(adfToMarkdown(doc(p(mention('po-account-id', 'Priya'))), { mentionName: throwing })).toBe(
      '@Priya',
    );
  });

  it('writes emoji, dates and status lozenges', () => {
    expect(md(p('Ship it ', emoji(':rocket:', '🚀')))).toBe('Ship it 🚀');
    expect(md(p(node('emoji', { shortName: ':party_parrot:' })))).toBe(':party_parrot:');
    expect(md(p(node('emoji', { shortName: 'wave' })))).toBe(':wave:');
    expect(md(p('Due ', date('2026-10-28')))).toBe('Due 2026-10-28');
    expect(md(p(node('date', { timestamp: 1793145600000 })))).toBe('2026-10-28');
    expect(md(p(node('date', { timestamp: 'soon' })))).toBe('soon');
    expect(md(p('State: ', status('In progress', 'blue'), ' (agreed)'))).toBe(
      'State: [IN PROGRESS] (agreed)',
    );
    // A link-looking bracket is escaped, both ends, so it stays text.
    expect(md(p(status('Done', 'green'), '(x)'))).toBe('\\[DONE\\]\\(x)');
  });

  it('writes smart links as links', () => {
    expect(md(p('See ', inlineCard('https://shop.example.com/spec')))).toBe(
      'See <https://shop.example.com/spec>',
    );
    expect(md(node('blockCard', { url: 'https://wiki.example.com/x' }))).toBe('<https://wiki.example.com/x>');
    expect(md(node('embedCard', { url: 'https://figma.example.com/f', layout: 'center' }))).toBe(
      '<https://figma.example.com/f>',
    );
    const named = node('inlineCard', {
      data: { '@type': 'Document', name: 'Spec', url: 'https://x.example/s' },
    });
    expect(md(p(named))).toBe('[Spec](https://x.example/s)');
    expect(md(p(node('inlineCard', { url: 'javascript:alert(1)' })))).toBe('');
  });

  it('writes media as attachment placeholders', () => {
    expect(md(media('Checkout wireframe'))).toBe('[attachment: Checkout wireframe]');
    const group = node(
      'mediaGroup',
      {},
      node('media', { id: 'a', type: 'file', collection: '', __fileName: 'receipt.pdf' }),
      node('media', { id: 'b', type: 'file', collection: '' }),
    );
    expect(md(group)).toBe('[attachment: receipt.pdf]\n\n[attachment: file]');
    expect(md(p('See ', node('mediaInline', { id: 'c', collection: '', alt: 'spec.pdf' })))).toBe(
      'See [attachment: spec.pdf]',
    );
    const external = node(
      'mediaSingle',
      {},
      node('media', { type: 'external', url: 'https://img.example/a.png', alt: 'diagram' }),
      node('caption', {}, text('Figure 1')),
    );
    expect(md(external)).toBe('[attachment: diagram](https://img.example/a.png)\n\nFigure 1');
  });

  it('writes tables as GFM tables, flattening cells and escaping pipes', () => {
    expect(md(table(['Field', 'Required'], ['Email', 'yes'], ['Phone', 'no']))).toBe(
      '| Field | Required |\n| - | - |\n| Email | yes |\n| Phone | no |',
    );
    const rich = table(
      ['Rule', 'Notes'],
      ['a | b', [p('First paragraph'), p('second')]],
      [[bullets('one', 'two')], [codeBlock('sh', 'npm ci\nnpm test')]],
      [[p('line', hardBreak(), 'break')], [numbered('x', 'y')]],
    );
    expect(md(rich)).toBe(
      [
        '| Rule | Notes |',
        '| - | - |',
        '| a \\| b | First paragraph<br>second |',
        '| • one<br>• two | `npm ci`<br>`npm test` |',
        '| line<br>break | 1. x<br>2. y |',
      ].join('\n'),
    );
    // No header cells: an empty header row keeps the first row as data. Colspan pads.
    const plain = node(
      'table',
      {},
      node('tableRow', {}, node('tableCell', { colspan: 2 }, p('wide')), node('tableCell', {}, p('c'))),
      node('tableRow', {}, node('tableCell', {}, p('1')), node('tableCell', {}, p('2'))),
    );
    expect(md(plain)).toBe('| | | |\n| - | - | - |\n| wide | | c |\n| 1 | 2 | |');
  });

  it('writes expands as a bold title and their content', () => {
    expect(md(expand('Edge cases', p('Empty basket.')))).toBe('**Edge cases**\n\nEmpty basket.');
    expect(md(node('nestedExpand', { title: 'More' }, p('Hidden')))).toBe('**More**\n\nHidden');
    expect(md(node('expand', {}, p('Untitled')))).toBe('Untitled');
  });

  it('writes task lists (nested too) and decisions', () => {
    expect(md(tasks(['Write the spec', true], ['Review it', false]))).toBe(
      '- [x] Write the spec\n- [ ] Review it',
    );
    const nestedTasks = {
      ...tasks(['Parent', false]),
      content: [...(tasks(['Parent', false]).content ?? []), tasks(['Child', true])],
    };
    expect(md(nestedTasks)).toBe('- [ ] Parent\n  - [x] Child');
    const decisions = node(
      'decisionList',
      { localId: 'd' },
      node('decisionItem', { localId: 'a', state: 'DECIDED' }, text('Use 3-D Secure 2')),
      node('decisionItem', { localId: 'b', state: 'UNDECIDED' }, text('Keep CVC?')),
    );
    expect(md(decisions)).toBe('- ✓ Use 3-D Secure 2\n- ? Keep CVC?');
  });

  it('flattens layout columns in order', () => {
    const layout = node(
      'layoutSection',
      {},
      node('layoutColumn', { width: 50 }, p('Left column')),
      node('layoutColumn', { width: 50 }, h(3, 'Right'), p('column')),
    );
    expect(md(layout)).toBe('Left column\n\n### Right\n\ncolumn');
  });

  it('writes extensions as placeholders followed by their body', () => {
    expect(
      md(node('extension', { extensionKey: 'toc', extensionType: 'com.atlassian.macro', text: 'Contents' })),
    ).toBe('[extension: Contents]');
    const bodied = node('bodiedExtension', { extensionKey: 'details', extensionType: 'x' }, p('Body text'));
    expect(md(bodied)).toBe('[extension: details]\n\nBody text');
    expect(
      md(p('Inline ', node('inlineExtension', { extensionKey: 'jira-issue', extensionType: 'x' }))),
    ).toBe('Inline [extension: jira-issue]');
    const titled = node('extension', {
      extensionKey: 'k',
      extensionType: 'x',
      parameters: { macroMetadata: { title: 'Roadmap' } },
    });
    expect(md(titled)).toBe('[extension: Roadmap]');
    const multi = node(
      'multiBodiedExtension',
      { extensionKey: 'tabs', extensionType: 'x' },
      node('extensionFrame', {}, p('Tab one')),
      node('extensionFrame', {}, p('Tab two')),
    );
    expect(md(multi)).toBe('[extension: tabs]\n\nTab one\n\nTab two');
    expect(md(p(node('placeholder', { text: 'Describe the outcome' })))).toBe(
      '[placeholder: Describe the outcome]',
    );
  });

  it('keeps the text of nodes it does not know', () => {
    expect(md(node('futureBlock', { x: 1 }, p('Future text')))).toBe('Future text');
    expect(md(p('a ', node('futureInline', { text: 'shown' }), ' b'))).toBe('a shown b');
    expect(md(p(node('futureInline', { url: 'https://x.example/' })))).toBe('<https://x.example/>');
    expect(md({ type: 'futureLeaf', text: 'loose' })).toBe('loose');
    // Children hung under a leaf by malformed input are kept too.
    expect(md(p('x ', { type: 'mention', attrs: { text: '@A' }, content: [text(' hidden child')] }))).toBe(
      'x @A hidden child',
    );
  });
});

describe('adfToMarkdown: marks', () => {
  it('writes strong, em, code, strike and links', () => {
    expect(md(p(strong('bold'), ' ', em('italic'), ' ', code('code'), ' ', strike('gone')))).toBe(
      '**bold** *italic* `code` ~~gone~~',
    );
    expect(md(p(link('the spec', 'https://wiki.example.com/spec')))).toBe(
      '[the spec](https://wiki.example.com/spec)',
    );
    expect(md(p(text('t', { type: 'link', attrs: { href: 'https://x.example', title: 'Tip' } })))).toBe(
      '[t](https://x.example "Tip")',
    );
    expect(md(p(text('click', { type: 'link', attrs: { href: 'javascript:alert(1)' } })))).toBe('click');
  });

  it('shares one delimiter pair across adjacent text and keeps spaces outside it', () => {
    const bold = { type: 'strong' };
    expect(md(p(text('Hello ', bold), text('brave', bold, { type: 'em' }), text(' world', bold)))).toBe(
      '**Hello *brave* world**',
    );
    expect(md(p('a', text(' b ', bold), 'c'))).toBe('a **b** c');
    expect(md(p(text('x', { type: 'code' }, { type: 'strong' })))).toBe('**`x`**');
  });

  it('writes sub and sup as HTML and keeps the text of visual-only marks', () => {
    expect(
      md(p('H', marked('2', 'subsup', { type: 'sub' }), 'O and 10', marked('3', 'subsup', { type: 'sup' }))),
    ).toBe('H<sub>2</sub>O and 10<sup>3</sup>');
    const visual = [
      marked('under', 'underline'),
      marked('red', 'textColor', { color: '#ff0000' }),
      marked('bg', 'backgroundColor', { color: '#ffff00' }),
      marked('note', 'annotation', { id: 'a', annotationType: 'inlineComment' }),
      marked('data', 'dataConsumer', { sources: ['x'] }),
      marked('frag', 'fragment', { localId: 'f' }),
      marked('odd', 'futureMark', { x: 1 }),
    ];
    expect(md(p(...visual.flatMap((part) => [part, ' '])))).toBe('under red bg note data frag odd');
    const blockMarks = {
      ...p('Centred'),
      marks: [
        { type: 'alignment', attrs: { align: 'center' } },
        { type: 'indentation', attrs: { level: 1 } },
      ],
    };
    const wide = { ...codeBlock('js', 'x'), marks: [{ type: 'breakout', attrs: { mode: 'wide' } }] };
    const bordered = node(
      'mediaSingle',
      {},
      {
        type: 'media',
        attrs: { id: 'm', type: 'file', alt: 'shot' },
        marks: [{ type: 'border', attrs: { size: 2 } }],
      },
    );
    expect(md(blockMarks, wide, bordered)).toBe('Centred\n\n```js\nx\n```\n\n[attachment: shot]');
  });

  it('escapes Markdown in text', () => {
    expect(md(p('a * b _c_ <x> [y](z) `q` # h | p'))).toBe(
      'a \\* b \\_c\\_ \\<x> \\[y]\\(z) \\`q\\` # h | p',
    );
    expect(md(p('1. not a list'))).toBe('1\\. not a list');
  });
});

describe('adfToMarkdown: the demo requirements', () => {
  it.each(REQUIREMENTS.map((requirement) => [requirement.summary, requirement] as const))(
    '%s converts with every word kept',
    (_summary, requirement) => {
      const markdown = adfToMarkdown(requirement.description);
      expectClean(markdown);
      expect(missingWords(requirement.description, markdown)).toEqual([]);
      expect(markdown.length).toBeGreaterThan(40);
    },
  );

  it('keeps the phrases that matter for test generation', () => {
    const byRef = new Map(REQUIREMENTS.map((requirement) => [requirement.ref, requirement.description]));
    const checkout = adfToMarkdown(byRef.get('guest-checkout'));
    expect(checkout).toContain('### Acceptance criteria');
    expect(checkout).toContain('- The checkout offers "Continue as guest" next to "Sign in"');
    expect(checkout).toContain('@Priya Product');
    expect(checkout).toContain('2026-10-28');
    expect(checkout).toContain('> **Info:** Guest orders are linked');
    expect(checkout).toContain('| Email | yes | RFC 5322, max 254 characters |');
    expect(checkout).toContain('[attachment: Checkout wireframe]');
    expect(adfToMarkdown(byRef.get('saved-card'))).toContain(
      '```json\n{\n  "paymentMethod": "pm_card_visa",',
    );
  });
});

describe('adfToMarkdown: malformed input', () => {
  it.each<[string, unknown, string]>([
    ['null', null, ''],
    ['undefined', undefined, ''],
    ['a number', 42, ''],
    ['a plain string (Jira API v2 descriptions)', 'Plain *text*', 'Plain \\*text\\*'],
    ['an empty array', [], ''],
    ['a doc without content', { type: 'doc', version: 1 }, ''],
    ['a doc with content that is not an array', { type: 'doc', content: { type: 'paragraph' } }, ''],
    ['null and garbage children', { type: 'doc', content: [null, 1, true, [], {}, p('kept')] }, 'kept'],
    ['a bare node', p('Just a paragraph'), 'Just a paragraph'],
    ['an array of nodes', [p('one'), p('two')], 'one\n\ntwo'],
    ['a text node without text', doc(p({ type: 'text' })), ''],
    ['non-string text', doc(p({ type: 'text', text: 5 } as unknown as AdfNode)), ''],
    [
      'attrs of the wrong type',
      doc({ type: 'heading', attrs: 'x', content: [text('H')] } as unknown as AdfNode),
      '# H',
    ],
    [
      'marks of the wrong type',
      doc(p({ type: 'text', text: 'm', marks: [null, 'strong', { x: 1 }] } as unknown as AdfNode)),
      '**m**',
    ],
  ])('%s', (_label, input, expected) => {
    expect(adfToMarkdown(input)).toBe(expected);
  });

  it('flattens nesting deeper than 100 levels without losing text', () => {
    let deep: AdfNode = p('bottom text');
    for (let level = 0; level < 20_000; level += 1) deep = quote(deep);
    const markdown = adfToMarkdown(doc(p('top'), deep));
    expect(markdown).toContain('top');
    expect(markdown).toContain('bottom text');
    let deepInline: AdfNode = text('inline bottom');
    for (let level = 0; level < 20_000; level += 1)
      deepInline = { type: 'futureInline', content: [deepInline] };
    expect(adfToMarkdown(doc(p(deepInline)))).toContain('inline bottom');
  });

  it('survives non-JSON input: cycles, throwing getters', () => {
    const cyclic: { type: string; content: unknown[] } = { type: 'paragraph', content: [text('loop')] };
    cyclic.content.push(cyclic);
    expect(adfToMarkdown(doc(cyclic as AdfNode))).toContain('loop');
    const hostile = {
      type: 'doc',
      get content(): unknown {
        throw new Error('boom');
      },
    };
    expect(adfToMarkdown(hostile)).toBe('');
  });
});

describe('adfToMarkdown: maxLength', () => {
  const long = doc(
    ...Array.from({ length: 50 }, (_, index) => p(`Paragraph number ${index} of the description.`)),
  );

  it('cuts at a line boundary and says how much was cut', () => {
    const full = adfToMarkdown(long);
    const cut = adfToMarkdown(long, { maxLength: 300 });
    expect(cut.length).toBeLessThanOrEqual(300);
    const [kept = '', marker = ''] = cut.split('\n\n[… description truncated: ');
    expect(full.startsWith(kept)).toBe(true);
    expect(kept.endsWith('description.')).toBe(true);
    expect(marker).toBe(`${full.length - kept.length} more characters]`);
    expect(adfToMarkdown(long, { maxLength: full.length })).toBe(full);
  });

  it('closes a code fence it cuts through', () => {
    const lines = Array.from({ length: 40 }, (_, index) => `line ${index}`).join('\n');
    const cut = adfToMarkdown(doc(p('Intro'), bullets([codeBlock('ts', lines)])), { maxLength: 200 });
    expect(cut.length).toBeLessThanOrEqual(200);
    expect(cut).toMatch(/\n {2}```\n\n\[… description truncated: \d+ more characters\]$/);
  });

  it('cuts one long line at a space, and answers with the marker alone when nothing fits', () => {
    const cut = truncateMarkdown('word '.repeat(100).trim(), 100);
    expect(cut.length).toBeLessThanOrEqual(100);
    expect(cut).toMatch(/^(word )+word\n\n\[… description truncated: \d+ more characters\]$/);
    expect(truncateMarkdown('x'.repeat(500), 10)).toBe('[… description truncated: 500 more characters]');
  });
});

// ─── properties ─────────────────────────────────────────────────────────────────────────────────────

const NODE_TYPES = [
  'doc',
  'paragraph',
  'text',
  'heading',
  'bulletList',
  'orderedList',
  'listItem',
  'codeBlock',
  'blockquote',
  'panel',
  'rule',
  'hardBreak',
  'mention',
  'emoji',
  'date',
  'status',
  'inlineCard',
  'blockCard',
  'embedCard',
  'mediaSingle',
  'mediaGroup',
  'mediaInline',
  'media',
  'caption',
  'table',
  'tableRow',
  'tableHeader',
  'tableCell',
  'expand',
  'nestedExpand',
  'taskList',
  'taskItem',
  'decisionList',
  'decisionItem',
  'layoutSection',
  'layoutColumn',
  'extension',
  'bodiedExtension',
  'inlineExtension',
  'multiBodiedExtension',
  'extensionFrame',
  'placeholder',
  'futureNode',
  '',
];
const MARK_TYPES = [
  'strong',
  'em',
  'code',
  'strike',
  'underline',
  'link',
  'subsup',
  'textColor',
  'backgroundColor',
  'alignment',
  'indentation',
  'breakout',
  'border',
  'annotation',
  'dataConsumer',
  'fragment',
  'futureMark',
];

const garbage = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 8 }),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }),
);
const attrs = fc.oneof(
  fc.record(
    {
      level: fc.oneof(fc.integer({ min: -2, max: 9 }), garbage),
      order: fc.oneof(fc.integer({ min: -5, max: 2_000_000_000 }), garbage),
      language: fc.oneof(fc.constantFrom('js', 'json', 'gherkin'), garbage),
      panelType: fc.oneof(fc.constantFrom('info', 'note', 'warning', 'success', 'error', 'custom'), garbage),
      text: fc.oneof(fc.string({ maxLength: 12 }), garbage),
      shortName: fc.oneof(fc.constantFrom(':smile:', 'wave'), garbage),
      timestamp: fc.oneof(fc.integer({ min: -1e13, max: 1e13 }).map(String), fc.double(), garbage),
      url: fc.oneof(fc.webUrl(), fc.constant('javascript:x'), garbage),
      href: fc.oneof(fc.webUrl(), garbage),
      state: fc.oneof(fc.constantFrom('DONE', 'TODO', 'DECIDED', 'UNDECIDED'), garbage),
      title: fc.oneof(fc.string({ maxLength: 12 }), garbage),
      colspan: fc.oneof(fc.integer({ min: -1, max: 5 }), garbage),
      alt: fc.oneof(fc.string({ maxLength: 12 }), garbage),
      type: fc.oneof(fc.constantFrom('file', 'link', 'external', 'sub', 'sup'), garbage),
      extensionKey: fc.oneof(fc.string({ maxLength: 8 }), garbage),
      parameters: fc.oneof(fc.record({ macroMetadata: fc.record({ title: garbage }) }), garbage),
      data: fc.oneof(fc.record({ name: garbage, url: fc.oneof(fc.webUrl(), garbage) }), garbage),
    },
    { requiredKeys: [] },
  ),
  garbage,
);
const mark = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ type: fc.constantFrom(...MARK_TYPES), attrs }, { requiredKeys: ['type'] }),
  },
  { weight: 1, arbitrary: garbage },
);
const words = fc.oneof(
  fc.string({ minLength: 1, maxLength: 16 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }),
  fc.constantFrom(
    '*',
    '_',
    '|',
    '`',
    '```',
    '[x]',
    '# ',
    '1. ',
    '- ',
    '> ',
    '<b>',
    '&amp;',
    '\\',
    '\n',
    '  ',
  ),
);
const textNode = fc.record(
  { type: fc.constant('text'), text: words, marks: fc.array(mark, { maxLength: 3 }) },
  { requiredKeys: ['type', 'text'] },
);
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: 'medium', withCrossShrink: true },
    { arbitrary: textNode, weight: 3 },
    { arbitrary: tie('container'), weight: 3 },
    { arbitrary: garbage, weight: 1 },
  ),
  container: fc.record(
    {
      type: fc.constantFrom(...NODE_TYPES),
      attrs,
      marks: fc.array(mark, { maxLength: 2 }),
      content: fc.array(tie('tree'), { maxLength: 5 }),
    },
    { requiredKeys: ['type'] },
  ),
}));
const adfDoc = fc.record({
  type: fc.constant('doc'),
  version: fc.constant(1),
  content: fc.array(tree, { maxLength: 6 }),
});

describe('adfToMarkdown: counterexamples found by fresh seeds', () => {
  // `npm run trust`, seed 755554915, "keeps every word of every text node": a bracketed label followed
  // by `(` had only its closing bracket escaped, so a later `]:` closed the label and the whole line
  // became a link reference definition, which a reader never sees.
  it('seed 755554915: a label before "(" and a later "]:" stay text', () => {
    const doc = {
      type: 'doc',
      version: 1,
      content: [
        {
          type: 'doc',
          content: [
            { type: 'mediaInline', content: [{ type: 'text', text: '( ' }] },
            {
              type: 'date',
              content: [
                { type: 'text', text: '[x]' },
                { type: 'doc', attrs: { shortName: ':smile:' } },
              ],
            },
          ],
        },
      ],
    };
    const markdown = adfToMarkdown(doc);
    expect(missingWords(doc, markdown)).toEqual([]);
    expect(rendered(markdown)).toBe('[attachment: file]( date[x]:smile:');
  });
});

describe('adfToMarkdown: properties', () => {
  it('never throws on ADF-shaped trees of any node, mark and attrs', () => {
    const tally = new OutcomeTally();
    fc.assert(
      fc.property(
        adfDoc,
        fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
        (input, maxLength) => {
          const markdown = adfToMarkdown(input, {
            maxLength,
            mentionName: (id) => (id.length > 3 ? id : undefined),
          });
          expectClean(markdown);
          if (maxLength !== undefined && maxLength >= 60)
            expect(markdown.length).toBeLessThanOrEqual(maxLength);
          tally.add(maxLength === undefined ? 'markdown' : 'markdown (capped)');
        },
      ),
      { numRuns: 1000 },
    );
    tally.report(__filename, 'ADF → Markdown never throws on ADF-shaped trees');
  });

  it('keeps every word of every text node', () => {
    const tally = new OutcomeTally();
    fc.assert(
      fc.property(adfDoc, (input) => {
        expect(missingWords(input, adfToMarkdown(input))).toEqual([]);
        tally.add('every word kept');
      }),
      { numRuns: 1000 },
    );
    tally.report(__filename, 'ADF → Markdown keeps every word of every text node');
  });

  it('never throws on arbitrary JSON', () => {
    const tally = new OutcomeTally();
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.anything()), (input) => {
        const markdown = adfToMarkdown(input);
        expect(typeof markdown).toBe('string');
        tally.add(markdown === '' ? 'empty' : 'markdown');
      }),
      { numRuns: 1000 },
    );
    tally.report(__filename, 'ADF → Markdown never throws on arbitrary JSON');
  });
});
