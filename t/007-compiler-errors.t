# glossaryc's errors, one block each: the input files, the command line,
# the exit status (1 bad data, 2 usage, 3 I/O) and the exact message, with
# FILE:LINE:COLUMN where there is a place to name.  A failed build writes
# nothing.  The sections are Test::Glossary's glossaryc blocks; the
# successes next to a limit show where the limit lies.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Glossary;

our $A = '{"slug":"a","term":"A"}';
our $HEAD = '[{"data":1},';

# a small valid template's input: the errors below are the template's
our $TITLES = '[{"seoDescription":"","slug":"a","term":"<b>\"A\" & \'a\'</b>"},'
            . '{"seoDescription":"Desc","slug":"b","term":"B"}]';

run_tests();

__DATA__

=== TEST 1: usage: -o is required
--- input
>>> one.json
{"slug":"a","term":"A"}
--- glossaryc: build one.json
--- exit_status: 2
--- stderr
glossaryc: build: -o OUT is required
Try 'glossaryc --help'.



=== TEST 2: usage: no input
--- glossaryc: build -o x.blob
--- exit_status: 2
--- no_files: x.blob



=== TEST 3: usage: an unknown option
--- input
>>> one.json
{"slug":"a","term":"A"}
--- glossaryc: build --frobnicate -o x.blob one.json
--- exit_status: 2
--- no_files: x.blob



=== TEST 4: usage: an unknown command
--- glossaryc: compile
--- exit_status: 2
--- stderr
glossaryc: unknown command "compile"
Try 'glossaryc --help'.



=== TEST 5: usage: no command
--- glossaryc:
--- exit_status: 2



=== TEST 6: usage: SOURCE_DATE_EPOCH that is not a number
--- input
>>> one.json
{"slug":"a","term":"A"}
--- source_date_epoch: yesterday
--- glossaryc: build -o x.blob one.json
--- exit_status: 2
--- no_files: x.blob



=== TEST 7: I/O: a missing input
--- glossaryc: build -o x.blob no-such-file.json
--- exit_status: 3
--- stderr
glossaryc: no-such-file.json: No such file or directory
--- no_files: x.blob



=== TEST 8: I/O: the output's directory is missing
--- input
>>> one.json
{"slug":"a","term":"A"}
--- glossaryc: build -o no-such-dir/x.blob one.json
--- exit_status: 3
--- stderr_like: \Aglossaryc: no-such-dir/x\.blob: cannot create a temporary file



=== TEST 9: no terms: an empty directory is refused, nothing is written
--- init
mkdir "$dir/emptydir" or die;
--- glossaryc: build -o x.blob emptydir
--- exit_status: 1
--- stderr
glossaryc: no terms in the input: refusing to publish an empty glossary
--- no_files: x.blob



=== TEST 10: invalid JSON on line 3: yajl's message, our position
--- input
>>> bad3.json
{"slug": "a",
 "term": "A",
 "category": "x" "y"}
--- glossaryc: build -o err.blob bad3.json
--- exit_status: 1
--- stderr
bad3.json:3:18: parse error: after key and value, inside map, I expect ',' or '}'
--- no_files: err.blob



=== TEST 11: invalid UTF-8
--- input eval
{ 'utf8.json' => qq({"slug":"a",\n"term":"A\xff"}) }
--- glossaryc: build -o err.blob utf8.json
--- exit_status: 1
--- stderr
utf8.json:2:11: lexical error: invalid bytes in UTF8 string



=== TEST 12: comments are not JSON
--- input chomp
>>> comment.json
{"slug":"a", // no
"term":"A"}
--- glossaryc: build -o err.blob comment.json
--- exit_status: 1
--- stderr
comment.json:1:14: lexical error: probable comment found in input text, comments are not enabled



=== TEST 13: a truncated file
--- input chomp
>>> trunc.json
{"slug":"a","term":
--- glossaryc: build -o err.blob trunc.json
--- exit_status: 1
--- stderr
trunc.json:1:20: parse error: premature EOF



=== TEST 14: an empty file
--- input
>>> empty.json
--- glossaryc: build -o err.blob empty.json
--- exit_status: 1
--- stderr
empty.json:1:1: parse error: premature EOF



=== TEST 15: trailing garbage
--- input chomp
>>> garbage.json
{"slug":"a","term":"A"}
,
--- glossaryc: build -o err.blob garbage.json
--- exit_status: 1
--- stderr
garbage.json:2:1: parse error: trailing garbage



=== TEST 16: two values in a JSON Lines line
--- input
>>> two.jsonl
{"slug":"a","term":"A"}
{"slug":"b","term":"B","category":"c"} {"slug":"c","term":"C","shortDefinition":null}
--- glossaryc: build -o err.blob two.jsonl
--- exit_status: 1
--- stderr
two.jsonl:2:40: parse error: trailing garbage



=== TEST 17: depth: 64 levels are fine
--- input eval
{ 'depth64.json' => '{"slug":"a","term":"A","x":' . ('[' x 63) . (']' x 63) . '}' }
--- glossaryc: build -q -o depth.blob depth64.json
--- exit_status: 0



=== TEST 18: depth: no cap (64 levels were one): an ignored field nested 10,000 deep, read as a stream, below a term's shape nothing built
--- input eval
{ 'depth65.json' => "\n" . '[{"slug":"a","term":"A","x":' . ('[' x 10000) . (']' x 10000) . '}]' }
--- glossaryc: build -q -o depth.blob depth65.json
--- exit_status: 0
--- stderr



=== TEST 19: depth: a value too deep for its place is refused as its type, at its place
--- input eval
{ 'deepwrong.json' => "\n" . '{"terms":[{"slug":"a","term":"A","relatedTerms":[{"slug":"b","name":' . ('[' x 100) . (']' x 100) . '}]}]}' }
--- glossaryc: build -o err.blob deepwrong.json
--- exit_status: 1
--- stderr
deepwrong.json:2:69: "name" must be a string, found array



=== TEST 20: a term object without "slug"
--- input chomp
>>> noslug.json
[{"slug":"a","term":"A"},
  {"term":"X"}]
--- glossaryc: build -o err.blob noslug.json
--- exit_status: 1
--- stderr
noslug.json:2:3: term object has no "slug"



=== TEST 21: a term object without "term"
--- input chomp
>>> noterm.json
{"slug":"x"}
--- glossaryc: build -o err.blob noterm.json
--- exit_status: 1
--- stderr
noterm.json:1:1: term object has no "term"



=== TEST 22: an empty term
--- input chomp
>>> emptyterm.json
{"slug":"x","term":""}
--- glossaryc: build -o err.blob emptyterm.json
--- exit_status: 1
--- stderr
emptyterm.json:1:20: "term" must not be empty



=== TEST 23: a blank term: spaces, tabs and line breaks only
--- input chomp
>>> blank.json
[{"slug":"a","term":"A"},
 {"slug":"x","term":"   \t\n  "}]
--- glossaryc: build -o err.blob blank.json
--- exit_status: 1
--- stderr
blank.json:2:21: "term" is blank: only spaces, controls or invisible characters
--- no_files: err.blob



=== TEST 24: a blank term: Unicode spaces, a zero-width space, a BOM, a soft hyphen, a control
--- input chomp
>>> blank2.jsonl
{"slug":"x","term":"\u00a0\u3000\u2003\u200b\ufeff\u00ad\u0000\u2028"}
--- glossaryc: build -o err.blob blank2.jsonl
--- exit_status: 1
--- stderr
blank2.jsonl:1:20: "term" is blank: only spaces, controls or invisible characters



=== TEST 25: a blank related name, with its place
--- input chomp
>>> blankrel.json
{"slug":"x","term":"X","relatedTerms":[{"slug":"y","name":"Y"},
  {"slug":"z","name":"\u3000"}]}
--- glossaryc: build -o err.blob blankrel.json
--- exit_status: 1
--- stderr
blankrel.json:2:22: "name" is blank: only spaces, controls or invisible characters



=== TEST 26: a blank question
--- input chomp
>>> blankq.jsonl
{"slug":"x","term":"X","faq":[{"question":" \n","answer":"A"}]}
--- glossaryc: build -o err.blob blankq.jsonl
--- exit_status: 1
--- stderr
blankq.jsonl:1:43: "question" is blank: only spaces, controls or invisible characters



=== TEST 27: a blank answer is not refused (an answer may be a mark; only names and questions must show something)
--- input chomp
>>> blanka.jsonl
{"slug":"y","term":"Y","faq":[{"question":"Q?","answer":"\t\u2060"}]}
--- glossaryc: build -q -o ok.blob blanka.jsonl
--- exit_status: 0
--- stderr



=== TEST 28: not blank: one visible character among blanks, a combining mark, an emoji; blank optional fields are kept as given
--- input chomp
>>> notblank.jsonl
{"slug":"a","term":" \u00a0a\u3000","relatedTerms":[{"slug":"b","name":"\u0301"}]}
{"slug":"b","term":"\ud83d\ude00","shortDefinition":"  ","faq":[{"question":"\u3000?","answer":"."}]}
--- glossaryc: build -q -o ok.blob notblank.jsonl
--- exit_status: 0
--- stderr



=== TEST 29: a null slug
--- input chomp
>>> nullslug.json
{"slug":null,"term":"X"}
--- glossaryc: build -o err.blob nullslug.json
--- exit_status: 1
--- stderr
nullslug.json:1:9: "slug" must be a string, found null



=== TEST 30: term is a number
--- input chomp
>>> numterm.json
{"slug":"x","term":5}
--- glossaryc: build -o err.blob numterm.json
--- exit_status: 1
--- stderr
numterm.json:1:20: "term" must be a string, found number



=== TEST 31: category is an array
--- input chomp
>>> cat.json
{"slug":"x","term":"X","category":["a"]}
--- glossaryc: build -o err.blob cat.json
--- exit_status: 1
--- stderr
cat.json:1:35: "category" must be a string or null, found array



=== TEST 32: relatedTerms is a string
--- input chomp
>>> rel.json
{"slug":"x","term":"X","relatedTerms":"a"}
--- glossaryc: build -o err.blob rel.json
--- exit_status: 1
--- stderr
rel.json:1:39: "relatedTerms" must be an array or null, found string



=== TEST 33: a faq entry that is not an object
--- input chomp
>>> faq.json
{"slug":"x","term":"X","faq":[true]}
--- glossaryc: build -o err.blob faq.json
--- exit_status: 1
--- stderr
faq.json:1:31: a faq entry must be an object, found boolean



=== TEST 34: a faq entry without an answer
--- input chomp
>>> faq2.json
{"slug":"x","term":"X","faq":[{"question":"Q"}]}
--- glossaryc: build -o err.blob faq2.json
--- exit_status: 1
--- stderr
faq2.json:1:31: a faq entry has no "answer"



=== TEST 35: a related entry without a name
--- input chomp
>>> rel2.json
{"slug":"x","term":"X","relatedTerms":[{"slug":"y"}]}
--- glossaryc: build -o err.blob rel2.json
--- exit_status: 1
--- stderr
rel2.json:1:40: a relatedTerms entry has no "name"



=== TEST 36: not a term at all
--- input chomp
>>> scalar.json
"x"
--- glossaryc: build -o err.blob scalar.json
--- exit_status: 1
--- stderr
scalar.json:1:1: expected a term object, an array of terms, {"terms": [...]} or a Nuxt payload, found string



=== TEST 37: an array element that is not an object
--- input chomp
>>> arrnum.json
[{"slug":"a","term":"A"}, 7]
--- glossaryc: build -o err.blob arrnum.json
--- exit_status: 1
--- stderr
arrnum.json:1:27: expected a term object, found number



=== TEST 38: a JSON Lines line that is not an object
--- input
>>> l.jsonl
{"slug":"a","term":"A"}
[1]
--- glossaryc: build -o err.blob l.jsonl
--- exit_status: 1
--- stderr
l.jsonl:2:1: a JSON Lines line must be a term object, found array



=== TEST 39: "terms" is not an array
--- input chomp
>>> terms.json
{"terms":{}}
--- glossaryc: build -o err.blob terms.json
--- exit_status: 1
--- stderr
terms.json:1:10: "terms" must be an array, found object



=== TEST 40: a duplicate key in a term object
--- input chomp
>>> dupkey.json
{"slug":"a","term":"A",
"slug":"b"}
--- glossaryc: build -o err.blob dupkey.json
--- exit_status: 1
--- stderr
dupkey.json:2:1: duplicate key "slug" in term object



=== TEST 41: a duplicate slug in one file
--- input chomp
>>> dupslug.json
[{"slug":"a","term":"A"},
{"slug":"b","term":"B","category":"c"},
 {"slug":"a","term":"A"}]
--- glossaryc: build -o err.blob dupslug.json
--- exit_status: 1
--- stderr
dupslug.json:3:10: duplicate slug "a" (first defined at dupslug.json:1:10)
--- no_files: err.blob



=== TEST 42: a duplicate slug across files: name order decides which is first
--- input eval
{ 'dup/b.json' => "\n  $::A", 'dup/a/z.json' => $::A }
--- glossaryc: build -o err.blob dup
--- exit_status: 1
--- stderr
dup/b.json:2:11: duplicate slug "a" (first defined at dup/a/z.json:1:9)



=== TEST 43: slug: upper case
--- input chomp
>>> slug.json
{"slug":"Foo","term":"X"}
--- glossaryc: build -o err.blob slug.json
--- exit_status: 1
--- stderr
slug.json:1:9: slug "Foo" is not canonical: it must match [a-z0-9]+(-[a-z0-9]+)* and be at most 128 bytes



=== TEST 44: slug: double hyphen
--- input chomp
>>> slug.json
{"slug":"a--b","term":"X"}
--- glossaryc: build -o err.blob slug.json
--- exit_status: 1
--- stderr
slug.json:1:9: slug "a--b" is not canonical: it must match [a-z0-9]+(-[a-z0-9]+)* and be at most 128 bytes



=== TEST 45: slug: leading hyphen
--- input chomp
>>> slug.json
{"slug":"-a","term":"X"}
--- glossaryc: build -o err.blob slug.json
--- exit_status: 1
--- stderr
slug.json:1:9: slug "-a" is not canonical: it must match [a-z0-9]+(-[a-z0-9]+)* and be at most 128 bytes



=== TEST 46: slug: trailing hyphen
--- input chomp
>>> slug.json
{"slug":"a-","term":"X"}
--- glossaryc: build -o err.blob slug.json
--- exit_status: 1
--- stderr
slug.json:1:9: slug "a-" is not canonical: it must match [a-z0-9]+(-[a-z0-9]+)* and be at most 128 bytes



=== TEST 47: slug: underscore
--- input chomp
>>> slug.json
{"slug":"a_b","term":"X"}
--- glossaryc: build -o err.blob slug.json
--- exit_status: 1
--- stderr
slug.json:1:9: slug "a_b" is not canonical: it must match [a-z0-9]+(-[a-z0-9]+)* and be at most 128 bytes



=== TEST 48: slug: space
--- input chomp
>>> slug.json
{"slug":"a b","term":"X"}
--- glossaryc: build -o err.blob slug.json
--- exit_status: 1
--- stderr
slug.json:1:9: slug "a b" is not canonical: it must match [a-z0-9]+(-[a-z0-9]+)* and be at most 128 bytes



=== TEST 49: slug: slash
--- input chomp
>>> slug.json
{"slug":"a/b","term":"X"}
--- glossaryc: build -o err.blob slug.json
--- exit_status: 1
--- stderr
slug.json:1:9: slug "a/b" is not canonical: it must match [a-z0-9]+(-[a-z0-9]+)* and be at most 128 bytes



=== TEST 50: slug: 129 bytes is too long
--- input eval
{ 'slug.json' => '{"slug":"' . ('a' x 129) . '","term":"X"}' }
--- glossaryc: build -o err.blob slug.json
--- exit_status: 1
--- stderr eval
'slug.json:1:9: slug "' . ('a' x 129) . '" is not canonical: it must match '
. "[a-z0-9]+(-[a-z0-9]+)* and be at most 128 bytes\n"



=== TEST 51: slug: 128 bytes is fine
--- input eval
{ 'slug128.json' => '{"slug":"' . ('a' x 128) . '","term":"X"}' }
--- glossaryc: build -q -o slug128.blob slug128.json
--- exit_status: 0



=== TEST 52: a related slug that is not canonical
--- input chomp
>>> relslug.json
{"slug":"x","term":"X","relatedTerms":[{"slug":"CUDA","name":"CUDA"}]}
--- glossaryc: build -o err.blob relslug.json
--- exit_status: 1
--- stderr
relslug.json:1:48: related slug "CUDA" is not canonical: it must match [a-z0-9]+(-[a-z0-9]+)* and be at most 128 bytes



=== TEST 53: payload: a reference out of range (the position is the referencing value)
--- input chomp
>>> pr.json
[{"data":1},{"slug":2,"term":30},"a","A"]
--- glossaryc: build -o err.blob pr.json
--- exit_status: 1
--- stderr
pr.json:1:30: payload reference 30 is out of range (the payload has 4 elements)



=== TEST 54: payload: an invalid negative
--- input chomp
>>> pn.json
[{"data":1},{"slug":2,"term":-8},"a","A"]
--- glossaryc: build -o err.blob pn.json
--- exit_status: 1
--- stderr
pn.json:1:30: payload reference -8 is not a valid special value (-1 to -7)



=== TEST 55: payload: a float reference
--- input chomp
>>> pf.json
[{"data":1},{"slug":2,"term":3.0},"a","A"]
--- glossaryc: build -o err.blob pf.json
--- exit_status: 1
--- stderr
pf.json:1:30: payload reference 3.0 is not an integer



=== TEST 56: payload: a cycle
--- input chomp
>>> pc.json
[{"data":1},
{"slug":2,"term":3,"x":4},"a","A",[5],{"y":4}]
--- glossaryc: build -o err.blob pc.json
--- exit_status: 1
--- stderr
pc.json:2:44: payload reference 4 is cyclic (element 4 is already being resolved)



=== TEST 57: payload: a cycle back to the root
--- input chomp
>>> pc0.json
[{"data":1},["Reactive",2],{"slug":3,"term":4,"up":0},"a","A"]
--- glossaryc: build -o err.blob pc0.json
--- exit_status: 1
--- stderr
pc0.json:1:52: payload reference 0 is cyclic (element 0 is already being resolved)



=== TEST 58: payload: a string where a reference belongs
--- input chomp
>>> ps.json
[{"data":1},{"slug":2,"term":"A"},"a"]
--- glossaryc: build -o err.blob ps.json
--- exit_status: 1
--- stderr
ps.json:1:30: payload reference must be an integer, found string



=== TEST 59: payload: NaN where a string belongs
--- input chomp
>>> pnan.json
[{"data":1},{"slug":2,"term":-3},"a"]
--- glossaryc: build -o err.blob pnan.json
--- exit_status: 1
--- stderr
pnan.json:1:30: "term" must be a string, found NaN



=== TEST 60: payload: an undefined term
--- input chomp
>>> pu.json
[{"data":1},{"slug":2,"term":-1},"a"]
--- glossaryc: build -o err.blob pu.json
--- exit_status: 1
--- stderr
pu.json:1:30: "term" must be a string, found undefined



=== TEST 61: payload: an unknown devalue type
--- input chomp
>>> pt.json
[{"data":1},{"slug":2,"term":3,"x":4},"a","A",["Temporal",1]]
--- glossaryc: build -o err.blob pt.json
--- exit_status: 1
--- stderr
pt.json:1:48: unknown devalue type "Temporal"



=== TEST 62: payload: a Set where an array belongs
--- input chomp
>>> pset.json
[{"data":1},{"slug":2,"term":3,"relatedTerms":4},"a","A",["Set",1]]
--- glossaryc: build -o err.blob pset.json
--- exit_status: 1
--- stderr
pset.json:1:47: "relatedTerms" must be an array or null, found a "Set" value



=== TEST 63: payload: no terms
--- input chomp
>>> pe.json
[{"data":1},{"a":2},"x"]
--- glossaryc: build -o err.blob pe.json
--- exit_status: 1
--- stderr
pe.json:1:1: payload holds no term object (an object with "slug" and "term")



=== TEST 64: payload: a duplicate key in a term
--- input chomp
>>> pd.json
[{"data":1},{"slug":2,"term":3,"term":3},"a","A"]
--- glossaryc: build -o err.blob pd.json
--- exit_status: 1
--- stderr
pd.json:1:32: duplicate key "term" in term object



=== TEST 65: limits: 70,000 related terms of one term (1,000 were the limit; now 2^32 - 1 a term, its 32-bit count)
--- input eval
{ 'manyrel.json' => '{"slug":"x","term":"X","relatedTerms":['
                    . join(',', map { qq({"slug":"r$_","name":"R"}) } 1 .. 70000)
                    . '],"faq":['
                    . join(',', map { qq({"question":"Q$_","answer":"A"}) } 1 .. 70000)
                    . ']}' }
--- glossaryc: build -o many.blob manyrel.json
--- exit_status: 0
--- stderr_like
\Aglossaryc: 70000 related references to terms not in the glossary \(first: x -> r1\)\n



=== TEST 66: limits: 1000 related terms are fine, the dangling ones counted
--- input eval
{ 'rel1000.json' => '{"slug":"x","term":"X","relatedTerms":['
                    . join(',', map { qq({"slug":"r$_","name":"R"}) } 1 .. 1000)
                    . ']}' }
--- glossaryc: build -o rel1000.blob rel1000.json
--- exit_status: 0
--- stderr_like
\Aglossaryc: 1000 related references to terms not in the glossary \(first: x -> r1\)\n



=== TEST 67: limits: a term's name of 2^28 bytes, one over what an nginx variable holds
--- init
open(my $fh, '>', "$dir/bigname.json") or die;
print $fh '{"slug":"x","term":"' . ('a' x (1 << 28)) . '"}' or die;
close($fh) or die;
--- glossaryc: build -o err.blob bigname.json
--- exit_status: 1
--- stderr
bigname.json:1:20: "term" is 268435456 bytes, over the limit of 268435455 of the index's strings (an nginx variable's length)
--- no_files: err.blob



=== TEST 68: limits: an explanation over 16 MiB (once the limit of every field) is kept: documents hold it
--- input eval
{ 'bigfield.json' => '{"slug":"x","term":"X","explanation":"'
                     . ('a' x (16 * 1024 * 1024 + 1)) . '"}' }
--- glossaryc: build -q -o big.blob bigfield.json
--- exit_status: 0
--- stderr



=== TEST 69: limits: no input size limit (256 MiB was one): a sparse file of 257 MiB, read as a stream, fails at its first byte
--- init
open(my $fh, '>', "$dir/huge.json") or die;
truncate($fh, 257 * 1024 * 1024) or die "truncate: $!";
close($fh);
--- glossaryc: build -o err.blob huge.json
--- exit_status: 1
--- stderr
huge.json:1:2: lexical error: invalid char in json text



=== TEST 70: --max-size "0"
--- input
>>> one.json
{"slug":"a","term":"A"}
--- glossaryc: build --max-size 0 -o x.blob one.json
--- exit_status: 2
--- stderr
glossaryc: build: --max-size "0" is not a size from 1 to 1t
Try 'glossaryc --help'.



=== TEST 71: --max-size "1025g"
--- input
>>> one.json
{"slug":"a","term":"A"}
--- glossaryc: build --max-size 1025g -o x.blob one.json
--- exit_status: 2
--- stderr
glossaryc: build: --max-size "1025g" is not a size from 1 to 1t
Try 'glossaryc --help'.



=== TEST 72: --max-size one byte over 1t
--- input
>>> one.json
{"slug":"a","term":"A"}
--- glossaryc: build --max-size 1099511627777 -o x.blob one.json
--- exit_status: 2
--- stderr
glossaryc: build: --max-size "1099511627777" is not a size from 1 to 1t
Try 'glossaryc --help'.



=== TEST 73: --max-size "2t"
--- input
>>> one.json
{"slug":"a","term":"A"}
--- glossaryc: build --max-size 2t -o x.blob one.json
--- exit_status: 2
--- stderr
glossaryc: build: --max-size "2t" is not a size from 1 to 1t
Try 'glossaryc --help'.



=== TEST 74: --max-size "12q"
--- input
>>> one.json
{"slug":"a","term":"A"}
--- glossaryc: build --max-size 12q -o x.blob one.json
--- exit_status: 2
--- stderr
glossaryc: build: --max-size "12q" is not a size from 1 to 1t
Try 'glossaryc --help'.



=== TEST 75: --max-size "g"
--- input
>>> one.json
{"slug":"a","term":"A"}
--- glossaryc: build --max-size g -o x.blob one.json
--- exit_status: 2
--- stderr
glossaryc: build: --max-size "g" is not a size from 1 to 1t
Try 'glossaryc --help'.



=== TEST 76: --max-size "-1"
--- input
>>> one.json
{"slug":"a","term":"A"}
--- glossaryc: build --max-size -1 -o x.blob one.json
--- exit_status: 2
--- stderr
glossaryc: build: --max-size "-1" is not a size from 1 to 1t
Try 'glossaryc --help'.



=== TEST 77: --max-size ""
--- input
>>> one.json
{"slug":"a","term":"A"}
--- glossaryc: build --max-size '' -o x.blob one.json
--- exit_status: 2
--- stderr
glossaryc: build: --max-size "" is not a size from 1 to 1t
Try 'glossaryc --help'.



=== TEST 78: --max-size without a value
--- input
>>> one.json
{"slug":"a","term":"A"}
--- glossaryc: build -o x.blob one.json --max-size
--- exit_status: 2



=== TEST 78a: --kinds: a kind that does not exist
--- input
>>> one.json
{"slug":"a","term":"A"}
--- glossaryc: build --kinds xml -o x.blob one.json
--- exit_status: 2
--- stderr
glossaryc: build: --kinds "xml" is not a list of json, html and payload (comma-separated)
Try 'glossaryc --help'.
--- no_files: x.blob



=== TEST 78b: --kinds: an empty list
--- input
>>> one.json
{"slug":"a","term":"A"}
--- glossaryc: build --kinds= -o x.blob one.json
--- exit_status: 2
--- stderr
glossaryc: build: --kinds "" is not a list of json, html and payload (comma-separated)
Try 'glossaryc --help'.



=== TEST 78c: --kinds: a kind twice
--- input
>>> one.json
{"slug":"a","term":"A"}
--- glossaryc: build --kinds json,html,json -o x.blob one.json
--- exit_status: 2
--- stderr
glossaryc: build: --kinds "json,html,json" is not a list of json, html and payload (comma-separated)
Try 'glossaryc --help'.



=== TEST 78d: --kinds: an empty element
--- input
>>> one.json
{"slug":"a","term":"A"}
--- glossaryc: build --kinds json, -o x.blob one.json
--- exit_status: 2
--- stderr
glossaryc: build: --kinds "json," is not a list of json, html and payload (comma-separated)
Try 'glossaryc --help'.



=== TEST 78e: --kinds in upper case
--- input
>>> one.json
{"slug":"a","term":"A"}
--- glossaryc: build --kinds JSON -o x.blob one.json
--- exit_status: 2
--- stderr
glossaryc: build: --kinds "JSON" is not a list of json, html and payload (comma-separated)
Try 'glossaryc --help'.



=== TEST 78f: --kinds without a value
--- input
>>> one.json
{"slug":"a","term":"A"}
--- glossaryc: build -o x.blob one.json --kinds
--- exit_status: 2
--- stderr
glossaryc: build: --kinds needs a value
Try 'glossaryc --help'.



=== TEST 79: --base-url: javascript:
--- input
>>> one.json
{"slug":"a","term":"A"}
--- glossaryc: build -o bad.blob --base-url javascript:alert(1)// one.json
--- exit_status: 2
--- stderr
glossaryc: --base-url "javascript:alert(1)//" must start with http:// or https://



=== TEST 80: --base-url: data:
--- input
>>> one.json
{"slug":"a","term":"A"}
--- glossaryc: build -o bad.blob --base-url data:text/html,x one.json
--- exit_status: 2
--- stderr
glossaryc: --base-url "data:text/html,x" must start with http:// or https://



=== TEST 81: --base-url without a host
--- input
>>> one.json
{"slug":"a","term":"A"}
--- glossaryc: build -o bad.blob --base-url https:///x one.json
--- exit_status: 2
--- stderr
glossaryc: --base-url "https:///x" has no host



=== TEST 82: --base-url with a query
--- input
>>> one.json
{"slug":"a","term":"A"}
--- glossaryc: build -o bad.blob --base-url https://example.com/?q=1 one.json
--- exit_status: 2
--- stderr
glossaryc: --base-url "https://example.com/?q=1" must not have a query or a fragment



=== TEST 83: --base-url with a space
--- input
>>> one.json
{"slug":"a","term":"A"}
--- glossaryc: build -o bad.blob --base-url 'https://exa mple.com/' one.json
--- exit_status: 2
--- stderr
glossaryc: --base-url "https://exa mple.com/" holds a space or a control character



=== TEST 84: --lang refuses what is not a language tag
--- input
>>> one.json
{"slug":"a","term":"A"}
--- glossaryc: build -o lang.blob --lang 'en"><script>' one.json
--- exit_status: 2
--- no_files: lang.blob



=== TEST 85: --template without a value
--- input
>>> one.json
{"slug":"a","term":"A"}
--- glossaryc: build -o lang.blob --lang en one.json --template
--- exit_status: 2
--- stderr_like: build: --template needs a value



=== TEST 86: template: a missing file is an I/O error, nothing is written
--- input
>>> one.json
{"slug":"a","term":"A"}
--- glossaryc: build -o tb.blob --template no-such.html one.json
--- exit_status: 3
--- stderr
glossaryc: no-such.html: No such file or directory
--- no_files: tb.blob



=== TEST 87: template: an unknown placeholder
--- input eval
{ 'titles.json' => $::TITLES, 'bad.html' => "{{{content}}}{{nope}}" }
--- glossaryc: build -o tb.blob --template bad.html titles.json
--- exit_status: 1
--- stderr
bad.html:1:14: unknown placeholder "nope"
--- no_files: tb.blob



=== TEST 88: template: an unknown context
--- input eval
{ 'titles.json' => $::TITLES, 'bad.html' => "{{{content}}}\n  {{xml:title}}" }
--- glossaryc: build -o tb.blob --template bad.html titles.json
--- exit_status: 1
--- stderr
bad.html:2:3: unknown context "xml" (html, url or json)



=== TEST 89: template: "{{" without "}}"
--- input eval
{ 'titles.json' => $::TITLES, 'bad.html' => "{{{content}}}\n{{title" }
--- glossaryc: build -o tb.blob --template bad.html titles.json
--- exit_status: 1
--- stderr
bad.html:2:1: unclosed tag: "{{" without "}}"



=== TEST 90: template: "{{{" without "}}}"
--- input eval
{ 'titles.json' => $::TITLES, 'bad.html' => "{{{content}}\n" }
--- glossaryc: build -o tb.blob --template bad.html titles.json
--- exit_status: 1
--- stderr
bad.html:1:1: unclosed tag: "{{{" without "}}}"



=== TEST 91: template: a section that is not closed
--- input eval
{ 'titles.json' => $::TITLES, 'bad.html' => "x\n{{#title}}{{{content}}}" }
--- glossaryc: build -o tb.blob --template bad.html titles.json
--- exit_status: 1
--- stderr
bad.html:2:1: section "title" is not closed



=== TEST 92: template: a section closed by another name
--- input eval
{ 'titles.json' => $::TITLES, 'bad.html' => "{{#title}}{{/lang}}{{{content}}}" }
--- glossaryc: build -o tb.blob --template bad.html titles.json
--- exit_status: 1
--- stderr
bad.html:1:11: "{{/lang}}" closes the section "title" opened at line 1, column 1



=== TEST 93: template: a close without a section
--- input eval
{ 'titles.json' => $::TITLES, 'bad.html' => "{{{content}}}{{/lang}}" }
--- glossaryc: build -o tb.blob --template bad.html titles.json
--- exit_status: 1
--- stderr
bad.html:1:14: "{{/lang}}" closes no section



=== TEST 94: template: text in "{{{ }}}"
--- input eval
{ 'titles.json' => $::TITLES, 'bad.html' => "{{{title}}}{{{content}}}" }
--- glossaryc: build -o tb.blob --template bad.html titles.json
--- exit_status: 1
--- stderr
bad.html:1:1: "title" is text: "{{{ }}}" is only for the fragments head, content and search_form



=== TEST 95: template: a fragment in "{{ }}"
--- input eval
{ 'titles.json' => $::TITLES, 'bad.html' => "{{content}}" }
--- glossaryc: build -o tb.blob --template bad.html titles.json
--- exit_status: 1
--- stderr
bad.html:1:1: "content" is an HTML fragment: write "{{{content}}}"



=== TEST 96: template: no "{{{content}}}"
--- input eval
{ 'titles.json' => $::TITLES, 'bad.html' => "<html>{{title}}</html>\n" }
--- glossaryc: build -o tb.blob --template bad.html titles.json
--- exit_status: 1
--- stderr
bad.html:1:1: the template never places "{{{content}}}"



=== TEST 97: no slug is reserved: "search" and "category" are terms (refused before the module's pages moved to "_search" and "_category/")
--- input
>>> reserved.json
[{"slug": "a", "term": "A"},
 {"slug": "search", "term": "Search"},
 {"slug": "category", "term": "C"}]
--- glossaryc: build -q -o r.blob reserved.json
--- exit_status: 0
--- stderr



=== TEST 98: no slug is reserved: every word the router knows, in JSON Lines
--- input
>>> reserved2.jsonl
{"slug": "category", "term": "C"}
{"slug": "search", "term": "S"}
{"slug": "related", "term": "R"}
{"slug": "sitemap", "term": "S"}
{"slug": "sitemap-xml", "term": "sitemap.xml"}
{"slug": "payload", "term": "P"}
{"slug": "payload-json", "term": "_payload.json"}
--- glossaryc: build -o r.blob reserved2.jsonl
--- exit_status: 0
--- stderr_like
r\.blob: 7 terms, \d+ bytes, build [0-9a-f]{16}



=== TEST 99: verify: not a blob
--- input
>>> one.json
{"slug":"a","term":"A"}
--- glossaryc: verify one.json
--- exit_status: 1
--- stderr_like: \Aone\.json:\x20



=== TEST 100: verify: an empty file
--- input
>>> zero.blob
--- glossaryc: verify zero.blob
--- exit_status: 1
--- stderr
zero.blob: file is too small to be a glossary blob: 0 bytes, a header needs 128



=== TEST 101: verify: a missing file is an I/O error
--- glossaryc: verify missing.blob
--- exit_status: 3



=== TEST 94: aliases that are not an array
--- input chomp
>>> al1.json
{"slug":"x","term":"X","aliases":"Ex"}
--- glossaryc: build -o err.blob al1.json
--- exit_status: 1
--- stderr
al1.json:1:34: "aliases" must be an array or null, found string
--- no_files: err.blob



=== TEST 95: an alias that is not a string
--- input chomp
>>> al2.json
{"slug":"x","term":"X","aliases":["Ex",7]}
--- glossaryc: build -o err.blob al2.json
--- exit_status: 1
--- stderr
al2.json:1:40: an "aliases" entry must be a string, found number



=== TEST 96: an empty alias, with its place in JSON Lines
--- input
>>> al3.jsonl
{"slug":"y","term":"Y"}
{"slug":"x","term":"X","aliases":["Ex", ""]}
--- glossaryc: build -o err.blob al3.jsonl
--- exit_status: 1
--- stderr
al3.jsonl:2:41: an "aliases" entry must be 1 to 256 bytes, found 0



=== TEST 97: a null alias in a payload
--- input eval
{ 'al4.json' => $HEAD . '{"slug":2,"term":3,"aliases":4},"x","X",[5,-2],"Ex"]' }
--- glossaryc: build -o err.blob al4.json
--- exit_status: 1
--- stderr_like: \Aal4\.json:1:\d+: an "aliases" entry must be a string, found null



=== TEST 98: more than 64 aliases
--- input eval
{ 'al5.json' => '{"slug":"x","term":"X","aliases":['
                . join(',', map { "\"a$_\"" } 1 .. 65) . ']}' }
--- glossaryc: build -o err.blob al5.json
--- exit_status: 1
--- stderr
al5.json:1:34: "aliases" has 65 entries, over the limit of 64
