// Nuxt payload round trip: devalue's own parser (the one Nuxt hydrates
// with) reads the payload the compiler wrote and the payload or term it was
// compiled from; the two values must be deeply equal.
//
//   node payload-check.mjs MANIFEST.json
//
// MANIFEST: [{"name": ..., "payload": FILE, "seed": FILE}
//            | {"name": ..., "payload": FILE, "term": FILE}]
// "seed" is another payload; "term" a term object in the compiler's JSON
// input form, compared with the term in the payload's data.
// Prints one TAP line per entry; exits 1 when one fails.

import { readFileSync } from 'node:fs';
import { deepStrictEqual } from 'node:assert/strict';
import { parse } from 'devalue';

// Nuxt's payload reducers, as its client revives them for plain data
const revivers = {
    ShallowReactive: (v) => v,
    Reactive: (v) => v,
    ShallowRef: (v) => v,
    Ref: (v) => v,
};

const fields = ['slug', 'term', 'shortDefinition', 'seoTitle',
                'seoDescription', 'explanation', 'relatedTerms', 'faq',
                'category'];

function expected(term) {
    const out = {};
    for (const f of fields) {
        const v = term[f];
        if (f === 'relatedTerms') {
            out[f] = (v ?? []).map((r) => ({ slug: r.slug, name: r.name }));
        } else if (f === 'faq') {
            out[f] = (v ?? []).map((q) => ({ question: q.question,
                                             answer: q.answer }));
        } else {
            out[f] = v ?? null;
        }
    }
    return out;
}

const manifest = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let failed = 0;

manifest.forEach((t, i) => {
    try {
        const got = parse(readFileSync(t.payload, 'utf8'), revivers);

        if (t.seed) {
            deepStrictEqual(got, parse(readFileSync(t.seed, 'utf8'),
                                       revivers));
        } else {
            const keys = Object.keys(got.data);
            deepStrictEqual(keys.length, 1);
            deepStrictEqual(got.prerenderedAt, undefined);
            deepStrictEqual(Object.keys(got.data[keys[0]]), fields);
            deepStrictEqual(got.data[keys[0]],
                            expected(JSON.parse(readFileSync(t.term,
                                                             'utf8'))));
        }

        console.log(`ok ${i + 1} - ${t.name}`);
    } catch (e) {
        failed++;
        console.log(`not ok ${i + 1} - ${t.name}`);
        console.log(String(e.message).replace(/^/gm, '# '));
    }
});

process.exit(failed ? 1 : 0);
